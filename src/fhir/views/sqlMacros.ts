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
  // FHIRPath lowBoundary()/highBoundary() of a date, time and dateTime (`high` false / true), as
  // boundary.ts computes them for the fhirpath.js runner: a partial value filled to its first or
  // last instant; a dateTime without a zone spans every zone (+14:00 low, -12:00 high).
  `CREATE OR REPLACE MACRO fp_date_bound(s, high) AS (CASE WHEN NOT regexp_full_match(s, '\\d{4}(-\\d{2}(-\\d{2})?)?') THEN NULL WHEN length(s) = 10 THEN s WHEN length(s) = 7 THEN (CASE WHEN high THEN strftime(last_day(make_date(CAST(left(s, 4) AS INTEGER), CAST(right(s, 2) AS INTEGER), 1)), '%Y-%m-%d') ELSE s || '-01' END) ELSE s || (CASE WHEN high THEN '-12-31' ELSE '-01-01' END) END)`,
  `CREATE OR REPLACE MACRO fp_time_bound(s, high) AS (CASE WHEN NOT regexp_full_match(s, '\\d{2}(:\\d{2}(:\\d{2}(\\.\\d+)?)?)?') THEN NULL ELSE left(s, 2) || ':' || coalesce(nullif(substr(s, 4, 2), ''), CASE WHEN high THEN '59' ELSE '00' END) || ':' || coalesce(nullif(substr(s, 7, 2), ''), CASE WHEN high THEN '59' ELSE '00' END) || '.' || left(rpad(substr(s, 10), 3, CASE WHEN high THEN '9' ELSE '0' END), 3) END)`,
  `CREATE OR REPLACE MACRO fp_datetime_bound(s, high) AS (list_transform([regexp_extract(s, '(Z|[+-]\\d{2}:\\d{2})$', 1)], lambda zone: fp_date_bound(split_part(s, 'T', 1), high) || 'T' || fp_time_bound(coalesce(nullif(left(split_part(s || 'T', 'T', 2), length(split_part(s || 'T', 'T', 2)) - length(zone)), ''), CASE WHEN high THEN '23' ELSE '00' END), high) || coalesce(nullif(zone, ''), CASE WHEN high THEN '-12:00' ELSE '+14:00' END))[1])`,
  `CREATE OR REPLACE MACRO fp_ref(r) AS (regexp_extract(r, ${sqlString(LITERAL_REFERENCE.source.replace(/\\\//g, '/'))}, 1) || '/' || regexp_extract(r, ${sqlString(LITERAL_REFERENCE.source.replace(/\\\//g, '/'))}, 2))`,
];
