/**
 * The outcome analysis's reads through the analytic engine: DuckDB scans the NDJSON files itself
 * (in parallel, within its memory limit, spilling to its temp directory), and hands over what
 * JavaScript needs: the definitions (Questionnaires, Medications), and each patient's PEG,
 * referral and medication resources grouped by patient, one patient at a time. This replaces the
 * home-made hash partitions: however large the input, the process holds one patient's resources.
 */
import type { AnalyticsEngine } from './engine.ts';
import { ndjsonRelation } from './engine.ts';
import { sqlString } from '../views/sqlMacros.ts';
import { LITERAL_REFERENCE } from '../../domain/fhir-primitives/references.ts';

/**
 * Resource types the per-patient analysis reads: their `subject` (a Task's `for`) is the
 * patient; a Patient is its own.
 */
export const PATIENT_RESOURCE_TYPES = [
  'Patient',
  'Condition',
  'QuestionnaireResponse',
  'Observation',
  'ServiceRequest',
  'MedicationStatement',
  'MedicationRequest',
  'Task',
] as const;

const REFERENCE = sqlString(LITERAL_REFERENCE.source.replace(/\\\//g, '/'));

/** The normalised key of a reference ('Patient/1' for any literal form; others as written). */
export function referenceKey(sql: string): string {
  return `(CASE WHEN regexp_matches(${sql}, ${REFERENCE}) THEN fp_ref(${sql}) ELSE ${sql} END)`;
}

const DEFINITION_TYPES = ['Questionnaire', 'Medication', 'Group'];

export class PatientResourceSource {
  private readonly engine: AnalyticsEngine;
  private readonly raw: string;
  private loaded = false;

  constructor(engine: AnalyticsEngine, ndjsonFiles: readonly string[]) {
    this.engine = engine;
    this.raw = ndjsonRelation(ndjsonFiles);
  }

  /**
   * The one scan of the input: every line's resource type, and the JSON of the types the
   * analysis reads (with the patient key of those read per patient), into table `lines`, which
   * DuckDB keeps within its memory limit (spilling to disk).
   */
  private async load(): Promise<void> {
    if (this.loaded) {
      return;
    }
    const kept = [...DEFINITION_TYPES, ...PATIENT_RESOURCE_TYPES].map(sqlString).join(', ');
    const perPatient = PATIENT_RESOURCE_TYPES.map(sqlString).join(', ');
    await this.engine.run(
      `CREATE OR REPLACE TEMP TABLE lines AS SELECT json IS NULL AS malformed, rt, CASE WHEN rt IN (${kept}) THEN json END AS json, CASE WHEN rt IN (${perPatient}) THEN ${referenceKey('subject')} END AS patient FROM (SELECT json, parts[1] ->> '$' AS rt, CASE WHEN parts[1] ->> '$' = 'Patient' THEN 'Patient/' || (parts[3] ->> '$') ELSE coalesce(parts[2] ->> '$', parts[4] ->> '$') END AS subject FROM (SELECT json, json_extract(json, ['$.resourceType', '$.subject.reference', '$.id', '$.for.reference']) AS parts FROM ${this.raw}))`,
    );
    this.loaded = true;
  }

  /**
   * Lines that are resources (JSON objects with a resourceType) and lines that are not (not JSON,
   * or JSON that is no resource: binary garbage parses as a number now and then).
   */
  async lineCounts(): Promise<{ resources: number; malformed: number }> {
    await this.load();
    const [row] = await this.engine.all(
      'SELECT count(*) FILTER (WHERE rt IS NOT NULL) AS resources, count(*) FILTER (WHERE rt IS NULL) AS malformed FROM lines',
    );
    return { resources: Number(row?.resources ?? 0), malformed: Number(row?.malformed ?? 0) };
  }

  /** Questionnaires and Medications, as JSON text (few; other resources refer to them). */
  async definitions(): Promise<string[]> {
    await this.load();
    const rows = await this.engine.all(
      `SELECT json::VARCHAR AS json FROM lines WHERE rt IN ('Questionnaire', 'Medication')`,
    );
    return rows.map((row) => String(row.json));
  }

  /** Whether any MedicationStatement or MedicationRequest is in the input. */
  async hasMedicationRecords(): Promise<boolean> {
    await this.load();
    const [row] = await this.engine.all(
      `SELECT count(*) AS n FROM lines WHERE rt IN ('MedicationStatement', 'MedicationRequest')`,
    );
    return Number(row?.n ?? 0) > 0;
  }

  /**
   * Materialises the active members of Group/<id> as table `group_members(patient)`; returns
   * whether the Group is in the input at all.
   */
  async loadGroup(groupId: string): Promise<boolean> {
    await this.load();
    await this.engine.run(
      `CREATE OR REPLACE TEMP TABLE clbp_groups AS SELECT json FROM lines WHERE rt = 'Group' AND json_extract_string(json, '$.id') = ${sqlString(groupId)}`,
    );
    await this.engine.run(
      `CREATE OR REPLACE TEMP TABLE group_members AS SELECT DISTINCT ${referenceKey("json_extract_string(m, '$.entity.reference')")} AS patient FROM clbp_groups, unnest(json_extract(json, '$.member[*]')) AS t(m) WHERE json_extract_string(m, '$.entity.reference') IS NOT NULL AND coalesce(json_extract_string(m, '$.inactive'), 'false') <> 'true'`,
    );
    const [row] = await this.engine.all('SELECT count(*) AS n FROM clbp_groups');
    return Number(row?.n ?? 0) > 0;
  }

  /** Group members with no resource of PATIENT_RESOURCE_TYPES (still members of the arm). */
  async membersWithoutRecords(): Promise<number> {
    const [row] = await this.engine.all(
      `SELECT count(*) AS n FROM group_members WHERE patient NOT IN (SELECT patient FROM lines WHERE patient IS NOT NULL)`,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Every patient's resources (JSON text), one patient at a time in patient-key order; resources
   * without a subject come last, as one group with `patient` undefined. The rows come sorted
   * (DuckDB's external sort spills past its memory limit; a GROUP BY with list() would not) and
   * are cut into patients here.
   */
  async *patients(
    withGroup: boolean,
  ): AsyncGenerator<{ patient: string | undefined; inGroup: boolean; resources: string[] }> {
    await this.load();
    const inGroup = withGroup ? 'patient IN (SELECT patient FROM group_members)' : 'false';
    const perPatient = PATIENT_RESOURCE_TYPES.map(sqlString).join(', ');
    const result = await this.engine.connection.stream(
      `SELECT patient, ${inGroup} AS in_group, json::VARCHAR AS json FROM lines WHERE rt IN (${perPatient}) ORDER BY patient NULLS LAST`,
    );
    let current: { patient: string | undefined; inGroup: boolean; resources: string[] } | undefined;
    for await (const rows of result.yieldRowsJs()) {
      for (const [patient, group, json] of rows) {
        const key = typeof patient === 'string' ? patient : undefined;
        if (current === undefined || current.patient !== key) {
          if (current !== undefined) {
            yield current;
          }
          current = { patient: key, inGroup: group === true, resources: [] };
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
