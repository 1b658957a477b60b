/**
 * `clbp pathway`'s reads through the analytic engine, on the pattern of patientResources.ts: one
 * scan of the NDJSON into a DuckDB table (kept within its memory limit), then every patient's
 * chart resources streamed in patient order and cut into patients here, so a clinic's whole panel
 * never has to fit in memory. A patient's resources are those whose subject, patient or for is the
 * Patient, and the Patient itself; a Task or an Encounter that names no patient joins the patient
 * whose referral it points to (Task.focus, Encounter.basedOn), as the app's `_revinclude` finds
 * it. Of the Observations only those with the given codes (the PEG's) are kept.
 */
import { CHART_TYPES } from '../pathwayChart.ts';
import { sqlString } from '../views/fhirpathSql.ts';
import type { AnalyticsEngine } from './engine.ts';
import { ndjsonRelation } from './engine.ts';
import { referenceKey } from './patientResources.ts';

/** Types whose `subject`, `patient` or `for` is the patient, and the Patient itself. */
export const CHART_RESOURCE_TYPES = ['Patient', ...CHART_TYPES] as const;

const DEFINITION_TYPES = ['Questionnaire', 'Medication'];
const list = (values: readonly string[]): string => values.map(sqlString).join(', ');

export class PatientChartSource {
  private readonly engine: AnalyticsEngine;
  private readonly raw: string;
  private readonly observationCodes: readonly string[];
  private loaded = false;

  /** `observationCodes`: the codes of the Observations kept (the PEG's LOINC codes). */
  constructor(
    engine: AnalyticsEngine,
    ndjsonFiles: readonly string[],
    observationCodes: readonly string[],
  ) {
    this.engine = engine;
    this.raw = ndjsonRelation(ndjsonFiles);
    this.observationCodes = observationCodes;
  }

  /** The one scan: type, kept JSON, the patient key and the referral a Task/Encounter points to. */
  private async load(): Promise<void> {
    if (this.loaded) {
      return;
    }
    const kept = list([...DEFINITION_TYPES, ...CHART_RESOURCE_TYPES]);
    const peg = this.observationCodes.map((c) => `contains(json, ${sqlString(`"${c}"`)})`);
    const owner = `coalesce(parts[2] ->> '$', parts[3] ->> '$', parts[4] ->> '$')`;
    await this.engine.run(
      `CREATE OR REPLACE TEMP TABLE chart_lines AS
       SELECT json IS NULL AS malformed, rt,
         CASE WHEN rt IN (${kept}) AND (rt <> 'Observation' OR ${peg.join(' OR ')}) THEN json END AS json,
         CASE WHEN rt = 'Patient' THEN 'Patient/' || (parts[5] ->> '$')
              WHEN rt IN (${list(CHART_TYPES)}) THEN ${referenceKey(owner)} END AS patient,
         CASE WHEN rt = 'ServiceRequest' THEN 'ServiceRequest/' || (parts[5] ->> '$') END AS request,
         CASE WHEN rt = 'Task' THEN [${referenceKey("parts[6] ->> '$'")}]
              WHEN rt = 'Encounter' THEN list_transform(
                json_extract_string(json, '$.basedOn[*].reference'), b -> ${referenceKey('b')})
         END AS points_to
       FROM (SELECT json, parts[1] ->> '$' AS rt, parts
             FROM (SELECT json, json_extract(json, ['$.resourceType', '$.subject.reference',
                     '$.patient.reference', '$.for.reference', '$.id', '$.focus.reference']) AS parts
                   FROM ${this.raw}))`,
    );
    this.loaded = true;
  }

  /** Lines that are not JSON objects (DuckDB reads them as NULL). */
  async malformedLines(): Promise<number> {
    await this.load();
    const [row] = await this.engine.all(
      'SELECT count(*) FILTER (WHERE malformed) AS n FROM chart_lines',
    );
    return Number(row?.n ?? 0);
  }

  /** Medications and Questionnaires as JSON text (shared by every chart that refers to them). */
  async definitions(): Promise<string[]> {
    await this.load();
    const rows = await this.engine.all(
      `SELECT json::VARCHAR AS json FROM chart_lines WHERE rt IN (${list(DEFINITION_TYPES)})`,
    );
    return rows.map((row) => String(row.json));
  }

  /** Every patient's chart resources (JSON text), one patient at a time, by patient id. */
  async *patients(): AsyncGenerator<{ patient: string; resources: string[] }> {
    await this.load();
    const result = await this.engine.connection.stream(
      `WITH owned AS (
         SELECT patient, json FROM chart_lines
         WHERE json IS NOT NULL AND starts_with(patient, 'Patient/')),
       requests AS (
         SELECT request, patient FROM chart_lines
         WHERE request IS NOT NULL AND starts_with(patient, 'Patient/')),
       attached AS (
         SELECT DISTINCT r.patient, c.json
         FROM chart_lines c, unnest(c.points_to) AS t(ref) JOIN requests r ON r.request = t.ref
         WHERE c.patient IS NULL AND c.json IS NOT NULL)
       SELECT substr(patient, 9) AS patient, json::VARCHAR AS json
       FROM (SELECT * FROM owned UNION ALL SELECT * FROM attached) ORDER BY patient`,
    );
    let current: { patient: string; resources: string[] } | undefined;
    for await (const rows of result.yieldRowsJs()) {
      for (const [patient, json] of rows) {
        const key = typeof patient === 'string' ? patient : '';
        if (current?.patient !== key) {
          if (current !== undefined) {
            yield current;
          }
          current = { patient: key, resources: [] };
        }
        if (typeof json === 'string') {
          current.resources.push(json);
        }
      }
    }
    if (current !== undefined) {
      yield current;
    }
  }
}
