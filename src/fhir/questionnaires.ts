/**
 * The app's own Questionnaires, bundled with it (forms render without a server round trip). Their
 * shape is checked by the contract tests against the domain's linkIds and codes.
 */
import type { Questionnaire } from 'fhir/r4';
import redFlagEvaluation from '../../questionnaires/clbp-red-flag-evaluation.json' with { type: 'json' };
import screening from '../../questionnaires/clbp-screening.json' with { type: 'json' };
import peg from '../../questionnaires/peg.json' with { type: 'json' };

export const PEG_QUESTIONNAIRE = peg as Questionnaire;
export const SCREENING_QUESTIONNAIRE = screening as Questionnaire;
export const RED_FLAG_EVALUATION_QUESTIONNAIRE = redFlagEvaluation as Questionnaire;
