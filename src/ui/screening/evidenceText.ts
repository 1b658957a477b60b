import type { QuestionnaireItem } from 'fhir/r4';
import type { Evidence } from '../../domain/screening/eligibility.ts';
import { SCREENING_QUESTIONNAIRE } from '../../fhir/questionnaires.ts';

function findItem(
  items: readonly QuestionnaireItem[] | undefined,
  linkId: string,
): QuestionnaireItem | undefined {
  for (const item of items ?? []) {
    const found = item.linkId === linkId ? item : findItem(item.item, linkId);
    if (found) {
      return found;
    }
  }
  return undefined;
}

/** A screening answer in the words of the form the clinician filled in, never its linkId or code. */
function screeningAnswerText(linkId: string, answer: string | boolean): string {
  const item = findItem(SCREENING_QUESTIONNAIRE.item, linkId);
  const question = item?.text ?? 'Screening question';
  const value =
    typeof answer === 'boolean'
      ? answer
        ? 'yes'
        : 'no'
      : (item?.answerOption?.find((o) => o.valueCoding?.code === answer)?.valueCoding?.display ??
        answer);
  return `${question} — ${value}`;
}

function dayOf(date: string | undefined): string {
  return date === undefined ? 'date unknown' : date.slice(0, 10);
}

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
      return `Screening: ${screeningAnswerText(e.linkId, e.answer)}, ${dayOf(e.authored)}${
        e.outOfDate ? ' (out of date — ask again)' : ''
      }${e.response === undefined ? '' : ` — ${e.response}`}`;
    case 'peg':
      return `PEG ${e.score.toFixed(2)} on ${e.date.slice(0, 10)}${
        e.outOfDate ? ' (out of date — ask again)' : ''
      } — ${e.sources.join(', ')}`;
    case 'pregnancy-observation':
      return `Pregnancy status "${e.value}", ${dayOf(e.date)}${
        e.outOfDate ? ' (out of date — ask again)' : ''
      }${e.reference === undefined ? '' : ` — ${e.reference}`}`;
    case 'clearance':
      return `Evaluated by ${e.clearance.authorName ?? e.clearance.author ?? 'a clinician'} on ${dayOf(
        e.clearance.authored,
      )}: does not preclude the programme${
        e.clearance.note === undefined ? '' : ` ("${e.clearance.note}")`
      }${e.clearance.source === undefined ? '' : ` — ${e.clearance.source}`}`;
    case 'referral':
      return `Referral ${e.reference}`;
  }
}
