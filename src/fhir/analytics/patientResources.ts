/**
 * The outcome analysis's reads through the analytic engine: DuckDB scans the NDJSON files itself
 * (in parallel, within its memory limit, spilling to its temp directory), and hands over what
 * JavaScript needs: the definitions (Questionnaires, Medications), and each patient's PEG,
 * referral and medication resources grouped by patient, one patient at a time. This replaces the
 * home-made hash partitions: however large the input, the process holds one patient's resources.
 */
import type { AnalyticsEngine } from './engine.ts';
import { ndjsonRelation } from './engine.ts';
import { sqlString } from '../views/fhirpathSql.ts';
import { LITERAL_REFERENCE } from '../../domain/fhir-primitives/references.ts';

/** Resource types the per-patient analysis reads (their `subject` is the patient). */
export const PATIENT_RESOURCE_TYPES = [
  'QuestionnaireResponse',
  'Observation',
  'ServiceRequest',
  'MedicationStatement',
  'MedicationRequest',
] as const;

const REFERENCE = sqlString(LITERAL_REFERENCE.source.replace(/\\\//g, '/'));

/** The normalised key of a reference ('Patient/1' for any literal form; others as written). */
function referenceKey(sql: string): string {
  return `(CASE WHEN regexp_matches(${sql}, ${REFERENCE}) THEN fp_ref(${sql}) ELSE ${sql} END)`;
}

function anyText(words: readonly string[]): string {
  return words.map((w) => `contains(json, ${sqlString(`"${w}"`)})`).join(' OR ');
}

export class PatientResourceSource {
  private readonly engine: AnalyticsEngine;
  private readonly raw: string;

  constructor(engine: AnalyticsEngine, ndjsonFiles: readonly string[]) {
    this.engine = engine;
    this.raw = ndjsonRelation(ndjsonFiles);
  }

  /** Lines that are JSON (resources, as far as DuckDB can tell) and lines that are not. */
  async lineCounts(): Promise<{ resources: number; malformed: number }> {
    const [row] = await this.engine.all(
      `SELECT count(json) AS resources, count(*) - count(json) AS malformed FROM ${this.raw}`,
    );
    return { resources: Number(row?.resources ?? 0), malformed: Number(row?.malformed ?? 0) };
  }

  /** Questionnaires and Medications, as JSON text (few; other resources refer to them). */
  async definitions(): Promise<string[]> {
    const rows = await this.engine.all(
      `SELECT json::VARCHAR AS json FROM ${this.raw} WHERE (${anyText(['Questionnaire', 'Medication'])}) AND json_extract_string(json, '$.resourceType') IN ('Questionnaire', 'Medication')`,
    );
    return rows.map((row) => String(row.json));
  }

  /** Whether any MedicationStatement or MedicationRequest is in the input. */
  async hasMedicationRecords(): Promise<boolean> {
    const [row] = await this.engine.all(
      `SELECT count(*) AS n FROM ${this.raw} WHERE (${anyText(['MedicationStatement', 'MedicationRequest'])}) AND json_extract_string(json, '$.resourceType') IN ('MedicationStatement', 'MedicationRequest')`,
    );
    return Number(row?.n ?? 0) > 0;
  }

  /**
   * Materialises the active members of Group/<id> as table `group_members(patient)`; returns
   * whether the Group is in the input at all.
   */
  async loadGroup(groupId: string): Promise<boolean> {
    await this.engine.run(
      `CREATE OR REPLACE TEMP TABLE clbp_groups AS SELECT json FROM ${this.raw} WHERE contains(json, '"Group"') AND json_extract_string(json, '$.resourceType') = 'Group' AND json_extract_string(json, '$.id') = ${sqlString(groupId)}`,
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
      `SELECT count(*) AS n FROM group_members WHERE patient NOT IN (SELECT patient FROM (${this.keyed()}) WHERE patient IS NOT NULL)`,
    );
    return Number(row?.n ?? 0);
  }

  private keyed(): string {
    const types = PATIENT_RESOURCE_TYPES.map(sqlString).join(', ');
    return `SELECT json, ${referenceKey("json_extract_string(json, '$.subject.reference')")} AS patient FROM ${this.raw} WHERE (${anyText(PATIENT_RESOURCE_TYPES)}) AND json_extract_string(json, '$.resourceType') IN (${types})`;
  }

  /**
   * Every patient's resources (JSON text), one patient at a time in patient-key order; resources
   * without a subject come last, as one group with `patient` undefined.
   */
  async *patients(
    withGroup: boolean,
  ): AsyncGenerator<{ patient: string | undefined; inGroup: boolean; resources: string[] }> {
    const inGroup = withGroup ? 'patient IN (SELECT patient FROM group_members)' : 'false';
    const result = await this.engine.connection.stream(
      `SELECT patient, ${inGroup} AS in_group, list(json::VARCHAR) AS resources FROM (${this.keyed()}) GROUP BY patient ORDER BY patient NULLS LAST`,
    );
    for await (const rows of result.yieldRowsJs()) {
      for (const [patient, group, resources] of rows) {
        yield {
          patient: typeof patient === 'string' ? patient : undefined,
          inGroup: group === true,
          resources: (resources as string[] | null) ?? [],
        };
      }
    }
  }
}
