/**
 * The outcome analysis's per-patient records in the analytic engine. The first pass reads each
 * resource once (in Node, where it is parsed anyway) into the small records the domain derives
 * from it (domain/outcomes/patientRecord.ts) and writes them to files with their patient
 * (recordPass.ts); DuckDB reads those in parallel, keeps them within its memory limit (spilling
 * to its temp directory) and hands them back sorted, one patient at a time. However large the
 * input, Node holds one patient's records.
 *
 * The records are one table, `patient_records(patient, record)`; the medication records' MME/day
 * is its `mme` records (the per-record result of the MME engine, one per MedicationStatement or
 * MedicationRequest that is an opioid), also as the view `medication_mme(patient, from_day,
 * to_day, mme_per_day)`.
 */
import type { PatientRecord } from '../../domain/outcomes/patientRecord.ts';
import type { AnalyticsEngine } from './engine.ts';
import { sqlString } from '../views/sqlMacros.ts';

/**
 * Longest record line read: records are small, a Condition (kept whole) the largest; DuckDB's
 * read buffer is twice this.
 */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

export class PatientRecordStore {
  private readonly engine: AnalyticsEngine;
  private readonly withGroup: boolean;

  private constructor(engine: AnalyticsEngine, withGroup: boolean) {
    this.engine = engine;
    this.withGroup = withGroup;
  }

  /**
   * The records of the first pass's files (recordPass.ts: a patient key as a JSON string, a tab,
   * the record as JSON or nothing) and the Group's members.
   */
  static async load(
    engine: AnalyticsEngine,
    recordFiles: readonly string[],
    members: readonly string[],
  ): Promise<PatientRecordStore> {
    const files = `[${recordFiles.map(sqlString).join(', ')}]`;
    await engine.run(
      `CREATE OR REPLACE TEMP TABLE patient_records AS SELECT json_extract_string(p, '$') AS patient, record FROM read_csv(${files}, delim = '\t', quote = '', escape = '', header = false, auto_detect = false, columns = {'p': 'VARCHAR', 'record': 'VARCHAR'}, max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${2 * MAX_LINE_BYTES})`,
    );
    await engine.run(
      `CREATE OR REPLACE TEMP VIEW medication_mme AS SELECT patient, CAST(record ->> '$.segment[0]' AS DOUBLE) AS from_day, CAST(record ->> '$.segment[1]' AS DOUBLE) AS to_day, CAST(record ->> '$.segment[2]' AS DOUBLE) AS mme_per_day FROM patient_records WHERE record ->> '$.kind' = 'mme'`,
    );
    await engine.run('CREATE OR REPLACE TEMP TABLE group_members (patient VARCHAR)');
    const appender = await engine.connection.createAppender('group_members');
    for (const member of members) {
      appender.appendVarchar(member);
      appender.endRow();
    }
    appender.closeSync();
    return new PatientRecordStore(engine, members.length > 0);
  }

  /** Group members with no record (still members of the arm). */
  async membersWithoutRecords(): Promise<number> {
    const [row] = await this.engine.all(
      'SELECT count(DISTINCT patient) AS n FROM group_members WHERE patient NOT IN (SELECT patient FROM patient_records WHERE patient IS NOT NULL)',
    );
    return Number(row?.n ?? 0);
  }

  /**
   * Every patient's records, one patient at a time in patient-key order; records without a
   * subject come last, as one group with `patient` undefined. The rows come sorted (DuckDB's
   * external sort spills past its memory limit) and are cut into patients here.
   */
  async *patients(): AsyncGenerator<{
    patient: string | undefined;
    inGroup: boolean;
    records: PatientRecord[];
  }> {
    const result = await this.engine.connection.stream(
      this.withGroup
        ? 'SELECT r.patient, m.patient IS NOT NULL AS in_group, r.record FROM patient_records r LEFT JOIN (SELECT DISTINCT patient FROM group_members) m ON r.patient = m.patient ORDER BY r.patient NULLS LAST'
        : 'SELECT patient, false AS in_group, record FROM patient_records ORDER BY patient NULLS LAST',
    );
    let current:
      { patient: string | undefined; inGroup: boolean; records: PatientRecord[] } | undefined;
    for await (const rows of result.yieldRowsJs()) {
      for (const [patient, group, record] of rows) {
        const key = typeof patient === 'string' ? patient : undefined;
        if (current === undefined || current.patient !== key) {
          if (current !== undefined) {
            yield current;
          }
          current = { patient: key, inGroup: group === true, records: [] };
        }
        if (typeof record === 'string') {
          current.records.push(JSON.parse(record) as PatientRecord);
        }
      }
    }
    if (current !== undefined) {
      yield current;
    }
  }
}
