/**
 * Writes the analysis dataset through DuckDB: rows are appended to a table as patients are
 * analysed (DuckDB keeps it within its memory limit), then copied out as Parquet and CSV with the
 * data dictionary beside them. Patient-level data, written as `clbp bulk` writes its files: 0600,
 * in a directory created 0700.
 */
import type { DuckDBAppender } from '@duckdb/node-api';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetRow } from '../../domain/outcomes/dataset.ts';
import { FOLLOW_UP_TIME_POINTS } from '../../domain/pathway/followUp.ts';
import { DATASET_COLUMNS, dataDictionaryMarkdown } from '../../domain/outcomes/dataset.ts';
import type { AnalyticsEngine } from './engine.ts';
import { sqlString } from '../views/sqlMacros.ts';

export class DatasetWriter {
  private readonly engine: AnalyticsEngine;
  private readonly appender: DuckDBAppender;
  rows = 0;

  private constructor(engine: AnalyticsEngine, appender: DuckDBAppender) {
    this.engine = engine;
    this.appender = appender;
  }

  static async open(engine: AnalyticsEngine): Promise<DatasetWriter> {
    const columns = DATASET_COLUMNS.map((c) => `"${c.name}" ${c.type}`).join(', ');
    await engine.run(`CREATE OR REPLACE TABLE clbp_analysis (${columns})`);
    return new DatasetWriter(engine, await engine.connection.createAppender('clbp_analysis'));
  }

  add(rows: readonly DatasetRow[]): void {
    for (const row of rows) {
      for (const column of DATASET_COLUMNS) {
        const value = row[column.name] ?? null;
        if (value === null) {
          this.appender.appendNull();
        } else if (typeof value === 'boolean') {
          this.appender.appendBoolean(value);
        } else if (typeof value === 'number') {
          if (column.type === 'INTEGER') {
            this.appender.appendInteger(value);
          } else {
            this.appender.appendDouble(value);
          }
        } else {
          // DATE columns take their ISO text; DuckDB casts it on append.
          this.appender.appendVarchar(value);
        }
      }
      this.appender.endRow();
      this.rows += 1;
    }
  }

  /**
   * Flushes and writes clbp_analysis.parquet, clbp_analysis.csv and the data dictionary, 0600.
   * DuckDB creates its files with the process's umask, so they are written in a private (0700)
   * folder inside `dir`, made 0600 there, then renamed into place.
   */
  async finish(dir: string): Promise<string[]> {
    this.appender.closeSync();
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const staging = await mkdtemp(join(dir, '.clbp_analysis-'));
    try {
      const names = await this.writeFiles(staging);
      for (const name of names) {
        await chmod(join(staging, name), 0o600);
        await rename(join(staging, name), join(dir, name));
      }
      return names.map((name) => join(dir, name));
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  private async writeFiles(dir: string): Promise<string[]> {
    const rank = FOLLOW_UP_TIME_POINTS.map((tp, i) => `WHEN ${sqlString(tp.id)} THEN ${i}`).join(
      ' ',
    );
    const order = `ORDER BY patient, CASE time_point ${rank} END NULLS FIRST`;
    const parquet = join(dir, 'clbp_analysis.parquet');
    const csv = join(dir, 'clbp_analysis.csv');
    await this.engine.run(
      `COPY (SELECT * FROM clbp_analysis ${order}) TO ${sqlString(parquet)} (FORMAT parquet)`,
    );
    await this.engine.run(
      `COPY (SELECT * FROM clbp_analysis ${order}) TO ${sqlString(csv)} (FORMAT csv, HEADER true)`,
    );
    await writeFile(join(dir, 'data_dictionary.md'), dataDictionaryMarkdown(), { mode: 0o600 });
    return ['clbp_analysis.parquet', 'clbp_analysis.csv', 'data_dictionary.md'];
  }
}
