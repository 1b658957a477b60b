/**
 * The README's table of sandbox patients, generated from the seed and the pathway function (the
 * same one the app, `clbp pathway` and the EHR simulator use), so the four cannot disagree: a
 * test compares the README with it, and `npm run gen:patients` prints it.
 */
import type { Resource } from 'fhir/r4';
import { evaluatePathway, type Pathway } from '../../domain/pathway/pathway.ts';
import {
  pathwayRecord,
  type PathwayRecord,
  type PromptRecord,
} from '../../domain/pathway/record.ts';
import { chartFromResources, patientOf } from '../../fhir/pathwayChart.ts';
import { generateSeed } from './seed.ts';

export const TABLE_HEADER = [
  'id',
  'scenario',
  'first screen (status line)',
  'next action',
  'why',
  'PEG',
  'MME/day',
] as const;

function pegCell(r: PathwayRecord): string {
  if (r.peg.latest === null) {
    return 'none';
  }
  if (r.peg.baseline === null) {
    return `${r.peg.latest.toFixed(2)} (latest)`;
  }
  if (r.peg.change === null) {
    return `${r.peg.baseline.toFixed(2)} (baseline)`;
  }
  const sign = r.peg.change > 0 ? '+' : '';
  return `${r.peg.baseline.toFixed(2)} → ${r.peg.latest.toFixed(2)} (${sign}${r.peg.change.toFixed(2)} from baseline${r.peg.reachesMcid === true ? ', reaches the 1-point MCID' : ''})`;
}

/** What stands in the way: red flags found, or the exclusions of a patient who is not eligible. */
function whyCell(r: PathwayRecord, pathway: Pathway): string {
  if (r.state === 'needs-evaluation') {
    return r.redFlags.map((f) => `${f.finding} — ${f.source}`).join('; ');
  }
  return r.state === 'not-eligible'
    ? pathway.eligibility.reasons
        .filter((f) => f.status === 'not-met')
        .map((f) => f.message)
        .join(' ')
    : '';
}

const PROMPT_TEXT: Readonly<Record<PromptRecord['kind'], string>> = {
  naloxone: 'offer naloxone',
  benzodiazepine: 'benzodiazepine with opioids',
};

function mmeCell(r: PathwayRecord): string {
  if (r.mme === null || (r.mme.current === 0 && r.mme.trajectory === 'none')) {
    return 'none';
  }
  const faster = r.mme.fasterThanGuideline === true ? ', faster than the usual taper' : '';
  const prompts = r.prompts.map((p) => `; ${PROMPT_TEXT[p.kind]}`).join('');
  return `${String(Math.round(r.mme.current * 10) / 10)} (${r.mme.trajectory}${faster})${prompts}`;
}

/** One row per sandbox patient, cells as the README shows them, for a seed generated on `asOf`. */
export function patientTableRows(asOf: Date): string[][] {
  const seed = generateSeed({ asOf });
  const shared = seed.resources.filter(
    (r) => r.resourceType === 'Questionnaire' || r.resourceType === 'Medication',
  );
  const byPatient = new Map<string, Resource[]>();
  for (const resource of seed.resources) {
    const patient = patientOf(resource);
    if (patient !== undefined) {
      byPatient.set(patient, [...(byPatient.get(patient) ?? []), resource]);
    }
  }
  return seed.patients.map((p) => {
    const pathway = evaluatePathway(
      chartFromResources([...(byPatient.get(p.id) ?? []), ...shared]),
      asOf,
    );
    const record = pathwayRecord(p.id, pathway);
    return [
      `\`${p.id}\``,
      p.scenario,
      record.status,
      record.nextAction,
      whyCell(record, pathway),
      pegCell(record),
      mmeCell(record),
    ];
  });
}

/** The Markdown table (Prettier aligns it in the README). */
export function patientTable(asOf: Date): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(TABLE_HEADER),
    line(TABLE_HEADER.map(() => '---')),
    ...patientTableRows(asOf).map(line),
  ].join('\n');
}
