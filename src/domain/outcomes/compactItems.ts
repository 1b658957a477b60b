/**
 * Separate PEG item Observations (75893-8 / 91145-3 / 91146-1), squeezed into a few numbers each
 * while the stream is read: their three items may be anywhere in the input, so they wait until
 * the end. At the end they are rebuilt as minimal Observations for pegFromObservations (which
 * groups and scores them; nothing is re-implemented here), and the administrations it returns get
 * back the hashed keys of the Observations they came from.
 */
import type { Observation } from 'fhir/r4';
import { PEG_ITEMS } from '../peg/peg.ts';
import { identifierKey, normalizeReference } from '../fhir-primitives/references.ts';
import { LOINC_SYSTEM, hasLoinc } from '../fhir-primitives/codings.ts';
import type { PegAdministration } from '../peg/peg.ts';
import { pegFromObservations, pegItemValue } from '../peg/observations.ts';
import { hash53, parseWhen, formatWhen } from './compactPeg.ts';

/** FHIR R4 observation-status codes, by index. */
const STATUSES: readonly Observation['status'][] = [
  'registered',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'cancelled',
  'entered-in-error',
  'unknown',
];

/**
 * Appends one item Observation to `out`
 * (instant, offset, status, item, value, nKeys, …keys, nDerived, …derived); false (nothing
 * appended) when it is not a PEG item or has no usable effective time.
 */
export function appendItem(out: number[], observation: Observation): boolean {
  const item = PEG_ITEMS.findIndex((candidate) =>
    hasLoinc(observation.code.coding, candidate.loinc),
  );
  const date =
    observation.effectiveDateTime ??
    observation.effectiveInstant ??
    observation.effectivePeriod?.start;
  const when = date === undefined ? undefined : parseWhen(date);
  if (item < 0 || when === undefined) {
    return false;
  }
  const keys = [
    ...(observation.id === undefined ? [] : [`Observation/${observation.id}`]),
    ...(observation.identifier ?? []).flatMap((i) => identifierKey(i) ?? []),
  ];
  const derived = (observation.derivedFrom ?? []).flatMap((r) => {
    const byIdentifier = r.identifier === undefined ? undefined : identifierKey(r.identifier);
    return [
      ...(r.reference === undefined ? [] : [normalizeReference(r.reference)]),
      ...(byIdentifier === undefined ? [] : [byIdentifier]),
    ];
  });
  out.push(when.instant, when.offset, Math.max(0, STATUSES.indexOf(observation.status)), item);
  out.push(pegItemValue(observation) ?? Number.NaN);
  out.push(keys.length, ...keys.map(hash53), derived.length, ...derived.map(hash53));
  return true;
}

export interface ItemReading {
  readonly administrations: PegAdministration[];
  readonly skipped: number;
}

/** The administrations of one patient's compact item Observations (see pegFromObservations). */
export function readItems(data: readonly number[], subject: string): ItemReading {
  const observations: Observation[] = [];
  const keysById = new Map<string, string[]>();
  let i = 0;
  const next = (): number => data[i++] ?? 0;
  while (i < data.length) {
    const id = `c${String(observations.length)}`;
    const date = formatWhen(next(), next());
    const status = STATUSES[next()] ?? 'unknown';
    const loinc = PEG_ITEMS[next()]?.loinc ?? '';
    const value = next();
    keysById.set(
      `Observation/${id}`,
      Array.from({ length: next() }, () => `#${next()}`),
    );
    const derivedFrom = Array.from({ length: next() }, () => ({ reference: `#${next()}` }));
    observations.push({
      resourceType: 'Observation',
      id,
      status,
      code: { coding: [{ system: LOINC_SYSTEM, code: loinc }] },
      subject: { reference: subject },
      effectiveDateTime: date,
      ...(Number.isNaN(value) ? {} : { valueQuantity: { value } }),
      ...(derivedFrom.length === 0 ? {} : { derivedFrom }),
    });
  }
  const reading = pegFromObservations(observations);
  const administrations = reading.administrations.map((administration) => ({
    ...administration,
    keys: administration.keys.flatMap((key) => keysById.get(key) ?? [key]),
  }));
  return { administrations, skipped: reading.skipped.length };
}
