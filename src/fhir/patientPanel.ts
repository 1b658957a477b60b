/**
 * A clinic's panel from a Bundle or a Bulk Data export, one patient at a time, in bounded memory:
 * the analytic engine (analytics/patientCharts.ts) groups each patient's chart resources; the
 * shared Medications and Questionnaires are held once. Resources that fail the app's own guards
 * (guards.ts) are skipped and counted, as the app skips them; a line that is not JSON stops the
 * run (a chart read in part would be told wrong).
 */
import { join } from 'node:path';
import type { Resource } from 'fhir/r4';
import { normalizeReference } from '../domain/fhir-primitives/references.ts';
import { PEG_ITEMS, PEG_SCORE_LOINC } from '../domain/peg/peg.ts';
import { AnalyticsEngine } from './analytics/engine.ts';
import { CHART_RESOURCE_TYPES, PatientChartSource } from './analytics/patientCharts.ts';
import { isResourceOf } from './guards.ts';
import { bundlesAsNdjson, InputError, isNdjson, readResources } from './ndjson.ts';

export interface PanelPatient {
  readonly id: string;
  /** The patient's resources, the Medications they reference and every Questionnaire read. */
  readonly resources: readonly Resource[];
}

export interface PanelReading {
  /** Resources skipped because they are not usable FHIR for what the pathway reads. */
  skipped: number;
}

/** The Medications a patient's records reference (by 'Medication/<id>', however written). */
function referencedMedications(
  own: readonly Resource[],
  medications: ReadonlyMap<string, Resource>,
): Resource[] {
  const found = new Map<string, Resource>();
  for (const resource of own) {
    const reference = (resource as { medicationReference?: { reference?: string } })
      .medicationReference?.reference;
    const key = reference === undefined ? undefined : normalizeReference(reference);
    const medication = key === undefined ? undefined : medications.get(key);
    if (key !== undefined && medication !== undefined) {
      found.set(key, medication);
    }
  }
  return [...found.values()];
}

function usable(value: unknown): value is Resource {
  const type = (value as { resourceType?: unknown }).resourceType;
  const known = [...CHART_RESOURCE_TYPES, 'Medication', 'Questionnaire'] as const;
  const match = known.find((t) => t === type);
  return match !== undefined && isResourceOf(match, value);
}

async function firstMalformed(files: readonly string[]): Promise<InputError> {
  for await (const item of readResources(files)) {
    if (item.kind === 'malformed') {
      return new InputError(`${item.file}:${String(item.line)}: ${item.message}`);
    }
  }
  return new InputError(`${files.join(', ')}: a line is not a JSON object`);
}

/**
 * Every patient of the input files (NDJSON, or Bundles converted to NDJSON first), in patient
 * order. Throws InputError, before any patient, when a line or entry cannot be read.
 */
export async function* panelPatients(
  files: readonly string[],
  reading: PanelReading,
): AsyncGenerator<PanelPatient> {
  const engine = await AnalyticsEngine.open();
  try {
    const ndjson = files.filter(isNdjson);
    const bundles = files.filter((file) => !isNdjson(file));
    if (bundles.length > 0) {
      let broken: InputError | undefined;
      ndjson.push(
        await bundlesAsNdjson(bundles, join(engine.tempDir, 'bundles.ndjson'), (m) => {
          broken ??= new InputError(`${m.file}:${String(m.line)}: ${m.message}`);
        }),
      );
      if (broken !== undefined) {
        throw broken;
      }
    }
    const source = new PatientChartSource(engine, ndjson, [
      PEG_SCORE_LOINC,
      ...PEG_ITEMS.map((i) => i.loinc),
    ]);
    if ((await source.malformedLines()) > 0) {
      throw await firstMalformed(files.filter(isNdjson));
    }
    const medications = new Map<string, Resource>();
    const questionnaires: Resource[] = [];
    for (const text of await source.definitions()) {
      const resource: unknown = JSON.parse(text);
      if (!usable(resource)) {
        reading.skipped += 1;
      } else if (resource.resourceType === 'Medication') {
        medications.set(`Medication/${resource.id ?? ''}`, resource);
      } else {
        questionnaires.push(resource);
      }
    }
    for await (const chart of source.patients()) {
      const own: Resource[] = [];
      for (const text of chart.resources) {
        const resource: unknown = JSON.parse(text);
        if (usable(resource)) {
          own.push(resource);
        } else {
          reading.skipped += 1;
        }
      }
      yield {
        id: chart.patient,
        resources: [...own, ...referencedMedications(own, medications), ...questionnaires],
      };
    }
  } finally {
    await engine.close();
  }
}
