/**
 * The project's own canonical URLs, code systems and identifier systems. Everything CLBP Pathway
 * writes to an EHR is recognisable by these; they are not clinical facts, only names.
 */
export const CANONICAL_BASE = 'http://fhir.clbp-pathway.org';

export const PEG_QUESTIONNAIRE_URL = `${CANONICAL_BASE}/Questionnaire/peg`;
export const PEG_QUESTIONNAIRE_VERSION = '1.0.0';

export const SCREENING_QUESTIONNAIRE_URL = `${CANONICAL_BASE}/Questionnaire/clbp-screening`;
export const SCREENING_QUESTIONNAIRE_VERSION = '1.1.0';

/** The project's CodeSystem: the group-visit service has no verified SNOMED code (clinical.md). */
export const PATHWAY_CODE_SYSTEM = `${CANONICAL_BASE}/CodeSystem/clbp-pathway`;
export const MINDFULNESS_GMV_CODE = 'mindfulness-gmv';

/** Identifier system of every resource the app creates; the value is a client-generated UUID. */
export const SUBMISSION_IDENTIFIER_SYSTEM = `${CANONICAL_BASE}/identifier/submission`;

/** The sandbox's group-visit programme Organization (a real EHR configures its own). */
export const PROGRAMME_ORGANIZATION_ID = 'optimum-gmv-programme';

/** The project's CodeSystem for the answers of the CLBP screening Questionnaire (Task Force Q1/Q2). */
export const SCREENING_ANSWER_CODE_SYSTEM = `${CANONICAL_BASE}/CodeSystem/clbp-screening-answers`;

/** The red-flag evaluation a clinician records to clear a red flag (clearance.ts). */
export const RED_FLAG_EVALUATION_QUESTIONNAIRE_URL = `${CANONICAL_BASE}/Questionnaire/clbp-red-flag-evaluation`;
export const RED_FLAG_EVALUATION_QUESTIONNAIRE_VERSION = '1.0.0';

/**
 * The project's CodeSystem of red flags (codes = RedFlagId, e.g. 'saddleAnaesthesia',
 * 'cancer-history') and of the evaluation outcome. No verified SNOMED CT code is available here
 * for each screening prompt, so the app's own codes are used with a human-readable text.
 */
export const RED_FLAG_CODE_SYSTEM = `${CANONICAL_BASE}/CodeSystem/clbp-red-flags`;
