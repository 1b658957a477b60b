/**
 * The patient key of a resource in the analytic engine's SQL: a reference normalised as the
 * domain's `normalizeReference` does ('Patient/1' for any literal form; others as written), from
 * the domain's own pattern. `clbp pathway`'s reads (patientCharts.ts) group resources by it;
 * `clbp outcomes` keys its records in Node (domain/outcomes/resourceShape.ts `patientKey`).
 */
import { sqlString } from '../views/sqlMacros.ts';
import { LITERAL_REFERENCE } from '../../domain/fhir-primitives/references.ts';

const REFERENCE = sqlString(LITERAL_REFERENCE.source.replace(/\\\//g, '/'));

/** The normalised key of a reference ('Patient/1' for any literal form; others as written). */
export function referenceKey(sql: string): string {
  return `(CASE WHEN regexp_matches(${sql}, ${REFERENCE}) THEN fp_ref(${sql}) ELSE ${sql} END)`;
}
