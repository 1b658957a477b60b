/**
 * Every PEG on record, from wherever it is: QuestionnaireResponses to any Questionnaire whose items
 * carry the PEG LOINC codes (the caller passes the known forms: the app's own and other vendors'),
 * score and item Observations; merged so one administration counts once.
 */
import type { Observation, Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import type { PegAdministration } from './peg.ts';
import { mergePegHistory } from './history.ts';
import { pegFromObservations } from './observations.ts';
import { pegFromQuestionnaireResponse } from './questionnaireResponse.ts';

export interface PegRecords {
  readonly history: PegAdministration[];
  /** Records that looked like a PEG but could not be read, with why. */
  readonly unreadable: { readonly reference: string; readonly reason: string }[];
}

const canonicalOf = (url: string): string => url.split('|')[0] ?? url;

/** PEGs read from one kind of record, before merging. */
export interface PegReading {
  readonly administrations: readonly PegAdministration[];
  readonly unreadable: PegRecords['unreadable'];
}

/**
 * PEGs from QuestionnaireResponses to one of `questionnaires`, every PEG form a response may
 * answer, the app's own included (responses to other forms are skipped, not unreadable).
 */
export function readPegResponses(
  responses: readonly QuestionnaireResponse[],
  questionnaires: readonly Questionnaire[],
): PegReading {
  const byUrl = new Map<string, Questionnaire>();
  for (const q of questionnaires) {
    if (q.url !== undefined) {
      byUrl.set(canonicalOf(q.url), q);
    }
  }
  const administrations: PegAdministration[] = [];
  const unreadable: { reference: string; reason: string }[] = [];
  for (const response of responses) {
    const questionnaire =
      response.questionnaire === undefined
        ? undefined
        : byUrl.get(canonicalOf(response.questionnaire));
    if (questionnaire === undefined) {
      continue;
    }
    const reading = pegFromQuestionnaireResponse(response, questionnaire);
    const reference = `QuestionnaireResponse/${response.id ?? '?'}`;
    switch (reading.kind) {
      case 'administration':
        administrations.push(reading.administration);
        break;
      case 'incomplete':
        unreadable.push({ reference, reason: `missing ${reading.missing.join(', ')}` });
        break;
      case 'invalid':
        unreadable.push({ reference, reason: reading.problems.join('; ') });
        break;
      case 'not-final':
      case 'not-peg':
        break;
    }
  }
  return { administrations, unreadable };
}

/** PEGs from score and item Observations. */
export function readPegObservations(observations: readonly Observation[]): PegReading {
  const { administrations, skipped } = pegFromObservations(observations);
  return {
    administrations,
    unreadable: skipped.map((skip) => ({
      reference: skip.reference ?? 'Observation',
      reason: skip.reason,
    })),
  };
}

/** One history from several readings, one administration counted once (mergePegHistory). */
export function combinePegReadings(...readings: readonly PegReading[]): PegRecords {
  return {
    history: mergePegHistory(readings.flatMap((r) => r.administrations)),
    unreadable: readings.flatMap((r) => r.unreadable),
  };
}

/** Every PEG in these records: responses first, then Observations, merged. */
export function readPegRecords(
  responses: readonly QuestionnaireResponse[],
  observations: readonly Observation[],
  questionnaires: readonly Questionnaire[],
): PegRecords {
  return combinePegReadings(
    readPegResponses(responses, questionnaires),
    readPegObservations(observations),
  );
}
