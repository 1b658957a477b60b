/**
 * What a saved screening found, as results the chart keeps (US Core: screening and assessment
 * results SHOULD be Observations): whether the NIH Task Force definition of chronic low back pain
 * is met, the red flags asked and whether any was present, and the pregnancy answer. Only what the
 * answers decide is a finding; a question left unanswered yields none.
 */
import { CANONICAL_BASE } from '../codes/canonical.ts';
import { classifyTaskForce, RED_FLAGS, type RedFlag, type ScreeningAnswers } from './screening.ts';

/** The project's CodeSystem for screening findings that no standard code names. */
export const SCREENING_FINDING_CODE_SYSTEM = `${CANONICAL_BASE}/CodeSystem/clbp-screening-findings`;

export const FINDING_CODES = {
  taskForce: {
    code: 'clbp-task-force-definition',
    display:
      'Chronic low back pain by the NIH Research Task Force definition (ongoing for at least 3 months, on at least half the days of the past 6 months)',
  },
  redFlags: {
    code: 'low-back-pain-red-flags',
    display: 'Red flags for a serious cause of low back pain (clinician evaluation needed if any)',
  },
} as const;

export type ScreeningFinding =
  | { readonly kind: 'task-force'; readonly clbp: boolean }
  | {
      readonly kind: 'red-flags';
      /** Any red flag present; undefined when none is present but some were not asked. */
      readonly present: boolean | undefined;
      readonly answered: readonly { readonly flag: RedFlag; readonly present: boolean }[];
    }
  | { readonly kind: 'pregnancy'; readonly pregnant: boolean };

export function screeningFindings(answers: ScreeningAnswers): ScreeningFinding[] {
  const findings: ScreeningFinding[] = [];
  const taskForce = classifyTaskForce(answers.duration, answers.frequency);
  if (taskForce.kind !== 'needs-screening') {
    findings.push({ kind: 'task-force', clbp: taskForce.kind === 'clbp' });
  }
  const answered = RED_FLAGS.flatMap((flag) => {
    const value = answers.redFlags[flag.key];
    return value === undefined ? [] : [{ flag, present: value }];
  });
  if (answered.length > 0) {
    const any = answered.some((a) => a.present);
    findings.push({
      kind: 'red-flags',
      present: any ? true : answered.length === RED_FLAGS.length ? false : undefined,
      answered,
    });
  }
  if (answers.pregnant !== undefined) {
    findings.push({ kind: 'pregnancy', pregnant: answers.pregnant });
  }
  return findings;
}
