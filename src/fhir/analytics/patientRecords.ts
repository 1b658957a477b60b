/**
 * The outcome analysis's per-patient records in the analytic engine. The first pass reads each
 * resource once (in Node, where it is parsed anyway) into the small records the domain derives
 * from it (domain/outcomes/patientRecord.ts) and writes them to files with their patient
 * (recordPass.ts). DuckDB reads those files in parallel, sorts the records by patient within its
 * memory limit (spilling to its temp directory) and hands them back in that order, as text, in
 * batches of whole patients that the per-patient step parses and reads one patient at a time (in
 * worker threads). However large the input, memory holds a few batches.
 *
 * The records are the view `patient_records(patient, record)` over the first pass's files; the
 * medication records' MME/day is its `mme` records (the per-record result of the MME engine, one
 * per MedicationStatement or MedicationRequest that is an opioid), also as the view
 * `medication_mme(patient, from_day, to_day, mme_per_day)`.
 */
import type { PatientRecord } from '../../domain/outcomes/patientRecord.ts';
import type { AnalyticsEngine } from './engine.ts';
import { sqlString } from '../views/sqlMacros.ts';

/**
 * Longest record line read: records are small, a Condition (kept whole) the largest; DuckDB's
 * read buffer is twice this.
 */
const MAX_LINE_BYTES = 4 * 1024 * 1024;

export interface PatientGroup {
  /** undefined: the records of resources without a subject (last, as one group). */
  readonly patient: string | undefined;
  readonly inGroup: boolean;
  readonly records: PatientRecord[];
}

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
    // A view, not a table: the sort reads the files directly (a table would be one more copy of
    // every record, most of it spilled to disk).
    await engine.run(
      `CREATE OR REPLACE TEMP VIEW patient_records AS SELECT p AS patient_json, json_extract_string(p, '$') AS patient, record FROM read_csv(${files}, delim = '\t', quote = '', escape = '', header = false, auto_detect = false, columns = {'p': 'VARCHAR', 'record': 'VARCHAR'}, max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${2 * MAX_LINE_BYTES})`,
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
   * Every record as one line of text (the patient key as JSON, a tab, 1 or 0 for Group
   * membership, a tab, the record as JSON or nothing for a patient known only to exist), sorted by
   * patient key with the records of resources without a subject last, in batches of whole
   * patients of about `batchLines` lines. The rows come sorted from DuckDB (its external sort
   * spills past its memory limit); each row is one string, the cheapest for DuckDB to hand over.
   */
  async *sortedLines(batchLines: number): AsyncGenerator<string[]> {
    const line = `patient_json || chr(9) || ${this.withGroup ? "CASE WHEN m.patient IS NULL THEN '0' ELSE '1' END" : "'0'"} || chr(9) || coalesce(record, '')`;
    const result = await this.engine.connection.stream(
      this.withGroup
        ? `SELECT ${line.replace(/\b(patient_json|record)\b/g, 'r.$1')} FROM patient_records r LEFT JOIN (SELECT DISTINCT patient FROM group_members) m ON r.patient = m.patient ORDER BY r.patient NULLS LAST`
        : `SELECT ${line} FROM patient_records ORDER BY patient NULLS LAST`,
    );
    const keyOf = (line: string): string => line.slice(0, line.indexOf('\t'));
    let batch: string[] = [];
    /** The key of the batch's last line, once the batch is full: it ends with that patient. */
    let lastKey = '';
    for await (const rows of result.yieldRowsJs()) {
      for (const [text] of rows) {
        const line = typeof text === 'string' ? text : '';
        if (batch.length >= batchLines && keyOf(line) !== lastKey) {
          yield batch;
          batch = [];
        }
        batch.push(line);
        if (batch.length >= batchLines) {
          lastKey = keyOf(line);
        }
      }
    }
    if (batch.length > 0) {
      yield batch;
    }
  }
}

/**
 * The patients of a batch of sorted lines (`sortedLines`), one at a time, in order; the records
 * are parsed here.
 */
export function* patientsOfLines(lines: readonly string[]): Generator<PatientGroup> {
  let current: { key: string; inGroup: boolean; records: PatientRecord[] } | undefined;
  const finish = (group: NonNullable<typeof current>): PatientGroup => {
    const patient: unknown = JSON.parse(group.key);
    return {
      patient: typeof patient === 'string' ? patient : undefined,
      inGroup: group.inGroup,
      records: group.records,
    };
  };
  for (const line of lines) {
    const tab = line.indexOf('\t');
    const key = line.slice(0, tab);
    if (current === undefined || current.key !== key) {
      if (current !== undefined) {
        yield finish(current);
      }
      current = { key, inGroup: line.charCodeAt(tab + 1) === 49 /* '1' */, records: [] };
    }
    // After the key, the membership flag and a tab: the record, if any.
    if (line.length > tab + 3) {
      current.records.push(JSON.parse(line.slice(tab + 3)) as PatientRecord);
    }
  }
  if (current !== undefined) {
    yield finish(current);
  }
}
