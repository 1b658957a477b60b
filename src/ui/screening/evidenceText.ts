import type { Evidence } from '../../domain/eligibility.ts';

/** One line naming the record a finding rests on, so the clinician can check it in the chart. */
export function evidenceText(e: Evidence): string {
  switch (e.kind) {
    case 'birth-date':
      return `Date of birth ${e.birthDate}`;
    case 'condition':
      return `Condition ${e.display} (${e.code})${e.onset === undefined ? '' : `, onset ${e.onset.slice(0, 10)}`}${
        e.clinicalStatus === undefined ? '' : `, ${e.clinicalStatus}`
      }${e.conditionId === undefined ? '' : ` — Condition/${e.conditionId}`}`;
    case 'screening-answer':
      return `Screening answer ${e.linkId}: ${typeof e.answer === 'boolean' ? (e.answer ? 'yes' : 'no') : e.answer}${
        e.response === undefined ? '' : ` — ${e.response}`
      }`;
    case 'peg':
      return `PEG ${e.score.toFixed(2)} on ${e.date.slice(0, 10)} — ${e.sources.join(', ')}`;
    case 'referral':
      return `Referral ${e.reference}`;
  }
}
