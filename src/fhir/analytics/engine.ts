/**
 * The embedded analytic engine: DuckDB (@duckdb/node-api) in this process, reading FHIR NDJSON
 * with its own parallel JSON reader and running the compiled views and the analysis SQL. Memory
 * is capped (`memoryLimit`): past it DuckDB spills to its temp directory, so a run's memory does
 * not follow the input size. The temp directory is removed on close.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQL_MACROS, sqlString } from '../views/sqlMacros.ts';

export interface EngineOptions {
  /** DuckDB memory_limit, e.g. '600MB'. */
  readonly memoryLimit?: string;
  readonly threads?: number;
}

/** Longest NDJSON line read (a Group of half a million members is one ~25 MB line). */
const MAX_LINE_BYTES = 32 * 1024 * 1024;

export type SqlRow = Record<string, unknown>;

/** NDJSON files as rows of one JSON column `json`; a malformed line is a NULL row, not an error. */
export function ndjsonRelation(files: readonly string[]): string {
  const list = `[${files.map(sqlString).join(', ')}]`;
  return `read_json_objects(${list}, format = 'newline_delimited', ignore_errors = true, maximum_object_size = ${MAX_LINE_BYTES})`;
}

export class AnalyticsEngine {
  private readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
  /** DuckDB's spill directory, also where converted inputs go; removed on close. */
  readonly tempDir: string;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, tempDir: string) {
    this.instance = instance;
    this.connection = connection;
    this.tempDir = tempDir;
  }

  static async open(options: EngineOptions = {}): Promise<AnalyticsEngine> {
    const tempDir = await mkdtemp(join(tmpdir(), 'clbp-duckdb-'));
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? '550MB',
      temp_directory: tempDir,
      ...(options.threads === undefined ? {} : { threads: String(options.threads) }),
      preserve_insertion_order: 'false',
    });
    const connection = await instance.connect();
    await connection.run(SQL_MACROS.join(';\n'));
    return new AnalyticsEngine(instance, connection, tempDir);
  }

  /** A relation of the resources in NDJSON files (one JSON column `resource`). */
  static ndjsonSource(files: readonly string[]): string {
    return `(SELECT json AS resource FROM ${ndjsonRelation(files)} WHERE json IS NOT NULL)`;
  }

  async all(sql: string): Promise<SqlRow[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS();
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    await rm(this.tempDir, { recursive: true, force: true });
  }
}
