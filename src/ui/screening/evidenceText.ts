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

/** One line saying in words what a finding rests on (the record itself: evidenceRecord). */
export function evidenceText(e: Evidence): string {
  const outOfDate = (old: boolean): string => (old ? ' (out of date — ask again)' : '');
  switch (e.kind) {
    case 'birth-date':
      return `Date of birth ${e.birthDate}`;
    case 'condition':
      return `Problem list: ${e.display} (${e.code})${e.onset === undefined ? '' : `, onset ${e.onset.slice(0, 10)}`}${
        e.clinicalStatus === undefined ? '' : `, ${e.clinicalStatus}`
      }`;
    case 'screening-answer':
      return `Screening: ${screeningAnswerText(e.linkId, e.answer)}, ${dayOf(e.authored)}${outOfDate(e.outOfDate)}`;
    case 'peg':
      return `PEG ${e.score.toFixed(2)} on ${e.date.slice(0, 10)}${outOfDate(e.outOfDate)}`;
    case 'pregnancy-observation':
      return `Pregnancy status "${e.value}", ${dayOf(e.date)}${outOfDate(e.outOfDate)}`;
    case 'clearance':
      return `Evaluated by ${e.clearance.authorName ?? e.clearance.author ?? 'a clinician'} on ${dayOf(
        e.clearance.authored,
      )}: does not preclude the programme${
        e.clearance.note === undefined ? '' : ` ("${e.clearance.note}")`
      }`;
    case 'referral':
      return 'An active referral to the programme';
  }
}

/** The FHIR records a piece of evidence cites ('Condition/x'), for the records list. */
export function evidenceRecords(e: Evidence): string[] {
  switch (e.kind) {
    case 'birth-date':
      return ['Patient'];
    case 'condition':
      return e.conditionId === undefined ? [] : [`Condition/${e.conditionId}`];
    case 'screening-answer':
      return e.response === undefined ? [] : [e.response];
    case 'peg':
      return [...e.sources];
    case 'pregnancy-observation':
      return e.reference === undefined ? [] : [e.reference];
    case 'clearance':
      return e.clearance.source === undefined ? [] : [e.clearance.source];
    case 'referral':
      return [e.reference];
  }
}
