/**
 * A clinician's clearance of a red flag (clinical.md "Clearing a red flag"): after evaluating the
 * patient, the clinician records that the finding was evaluated and does not preclude the
 * programme: who, when, which finding(s), an optional note. It is written to the chart as a
 * QuestionnaireResponse to questionnaires/clbp-red-flag-evaluation.json, whose items cite the red
 * flag (a code of RED_FLAG_CODE_SYSTEM) and the records evaluated (Condition or screening
 * QuestionnaireResponse references).
 *
 * A clearance covers only the records it cites for the red flag it names (the Condition ids or the
 * screening response it was recorded against), never a record it did not list, whatever its date:
 * any other record of that red flag, older or newer, needs its own evaluation (clinical.md
 * "Clearing a red flag": "which finding"). Only red flags whose rule is `clearable`
 * (eligibilityConfig.ts RED_FLAG_RULES) can be cleared.
 */
import type { QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import { RED_FLAG_CODE_SYSTEM, RED_FLAG_EVALUATION_QUESTIONNAIRE_URL } from '../codes/canonical.ts';
import { calendarDayOf, instantOf } from '../fhir-primitives/dates.ts';
import type { RedFlagId } from './eligibilityConfig.ts';
import { isRedFlagId, redFlagRule } from './redFlags.ts';

/** The contract with questionnaires/clbp-red-flag-evaluation.json. */
export const RED_FLAG_EVALUATION_LINK_IDS = {
  finding: 'finding',
  redFlag: 'finding-red-flag',
  record: 'finding-record',
  outcome: 'outcome',
  note: 'note',
} as const;

/** The one outcome a clearance records (a finding that precludes the programme is not cleared). */
export const DOES_NOT_PRECLUDE = {
  system: RED_FLAG_CODE_SYSTEM,
  code: 'does-not-preclude',
  display: 'Evaluated; does not preclude the mindfulness group programme',
} as const;

export interface ClearedFinding {
  readonly redFlag: RedFlagId;
  /** References of the records evaluated ('Condition/id', 'QuestionnaireResponse/id'). */
  readonly records: readonly string[];
}

export interface RedFlagClearance {
  /** 'QuestionnaireResponse/id' of the clearance itself. */
  readonly source: string | undefined;
  readonly authored: string;
  /** Reference of the clinician ('Practitioner/id'), when recorded. */
  readonly author: string | undefined;
  readonly authorName: string | undefined;
  readonly note: string | undefined;
  readonly findings: readonly ClearedFinding[];
}

export type ClearanceReading =
  | { readonly kind: 'clearance'; readonly clearance: RedFlagClearance }
  | { readonly kind: 'not-clearance' }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] };

function answersOf(items: readonly QuestionnaireResponseItem[] | undefined, linkId: string) {
  return (items ?? []).filter((item) => item.linkId === linkId).flatMap((i) => i.answer ?? []);
}

/** Reads a QuestionnaireResponse to the red-flag evaluation Questionnaire (any version). */
export function readClearanceResponse(response: QuestionnaireResponse): ClearanceReading {
  if (response.questionnaire?.split('|')[0] !== RED_FLAG_EVALUATION_QUESTIONNAIRE_URL) {
    return { kind: 'not-clearance' };
  }
  if (response.status !== 'completed' && response.status !== 'amended') {
    return { kind: 'not-clearance' };
  }
  const problems: string[] = [];
  const ids = RED_FLAG_EVALUATION_LINK_IDS;
  const outcome = answersOf(response.item, ids.outcome)[0]?.valueCoding;
  if (outcome?.system !== DOES_NOT_PRECLUDE.system || outcome.code !== DOES_NOT_PRECLUDE.code) {
    problems.push(`${ids.outcome}: not "${DOES_NOT_PRECLUDE.display}"`);
  }
  if (response.authored === undefined || calendarDayOf(response.authored) === undefined) {
    problems.push('no authored date');
  }
  const findings: ClearedFinding[] = [];
  for (const group of (response.item ?? []).filter((item) => item.linkId === ids.finding)) {
    const coding = answersOf(group.item, ids.redFlag)[0]?.valueCoding;
    const code = coding?.system === RED_FLAG_CODE_SYSTEM ? coding.code : undefined;
    if (code === undefined || !isRedFlagId(code)) {
      problems.push(
        `${ids.redFlag}: ${coding?.system ?? '?'}|${coding?.code ?? '?'} is not a red flag`,
      );
      continue;
    }
    const records = answersOf(group.item, ids.record)
      .map((answer) => answer.valueReference?.reference)
      .filter((reference): reference is string => reference !== undefined);
    findings.push({ redFlag: code, records });
  }
  if (findings.length === 0) {
    problems.push('no finding named');
  }
  if (problems.length > 0 || response.authored === undefined) {
    return { kind: 'invalid', problems };
  }
  const note = answersOf(response.item, ids.note)[0]?.valueString?.trim();
  return {
    kind: 'clearance',
    clearance: {
      source: response.id === undefined ? undefined : `QuestionnaireResponse/${response.id}`,
      authored: response.authored,
      author: response.author?.reference,
      authorName: response.author?.display,
      note: note === '' ? undefined : note,
      findings,
    },
  };
}

/** One record of a red flag: a Condition or a screening answer. */
export interface RedFlagRecord {
  /** 'Condition/id' or 'QuestionnaireResponse/id'; undefined = cannot be cited, never covered. */
  readonly reference: string | undefined;
  /** When it was recorded (answer authored, Condition recordedDate or onset), for display. */
  readonly date: string | undefined;
}

/**
 * The newest clearance that cites every record of a red flag, or undefined (then the red flag
 * needs evaluation). Never a clearance for a red flag whose rule is not clearable.
 */
export function clearanceCovering(
  redFlag: RedFlagId,
  records: readonly RedFlagRecord[],
  clearances: readonly RedFlagClearance[],
): RedFlagClearance | undefined {
  if (!redFlagRule(redFlag).clearable || records.length === 0) {
    return undefined;
  }
  const covering = clearances.filter((clearance) => {
    const cited = clearance.findings
      .filter((finding) => finding.redFlag === redFlag)
      .flatMap((finding) => [finding.records]);
    if (cited.length === 0) {
      return false;
    }
    const references = cited.flat();
    return records.every(
      (record) => record.reference !== undefined && references.includes(record.reference),
    );
  });
  const when = (c: RedFlagClearance): number => instantOf(c.authored) ?? 0;
  return covering.sort((a, b) => when(b) - when(a))[0];
}
