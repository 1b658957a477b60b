/**
 * The SQL macros the compiled views and the outcome reads use, apart from the FHIRPath compiler
 * so the analytic engine can create them without loading fhirpath.js and its R4 model.
 */
import { LITERAL_REFERENCE } from '../../domain/fhir-primitives/references.ts';

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** Macros the compiled SQL uses; run once per connection. */
export const SQL_MACROS = [
  `CREATE OR REPLACE MACRO fp_arr(j) AS (CASE WHEN j IS NULL OR json_type(j) = 'NULL' THEN []::JSON[] WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[]) ELSE [j] END)`,
  `CREATE OR REPLACE MACRO fp_one(j) AS (CASE WHEN j IS NULL OR json_type(j) = 'NULL' THEN []::JSON[] ELSE [j] END)`,
  `CREATE OR REPLACE MACRO fp_bool(j) AS (CASE WHEN j IS NULL THEN NULL WHEN json_type(j) = 'BOOLEAN' THEN CAST(j AS BOOLEAN) ELSE true END)`,
  `CREATE OR REPLACE MACRO fp_num(j) AS (json_type(j) IN ('BIGINT', 'UBIGINT', 'DOUBLE'))`,
  `CREATE OR REPLACE MACRO fp_ref(r) AS (regexp_extract(r, ${sqlString(LITERAL_REFERENCE.source.replace(/\\\//g, '/'))}, 1) || '/' || regexp_extract(r, ${sqlString(LITERAL_REFERENCE.source.replace(/\\\//g, '/'))}, 2))`,
];
