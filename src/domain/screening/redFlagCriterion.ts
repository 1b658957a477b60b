/**
 * The "no red flag" criterion: every red flag answered "yes" in a current screening or found on the
 * chart is its own finding, needing a clinician's evaluation until a clearance covers it
 * (clearance.ts); a cauda equina sign is an emergency and cannot be cleared here. A "yes" older
 * than the screening window is out of date: ask again.
 */
import { OSTEOPOROSIS_CODES } from '../codes/redFlagConditions.ts';
import { conditionsMatching } from './chartEvidence.ts';
import type { ConditionEvidence } from './chartEvidence.ts';
import type { RedFlagClearance, RedFlagRecord } from './clearance.ts';
import { clearanceCovering } from './clearance.ts';
import type { CriterionContext } from './criterionSupport.ts';
import { answerEvidence, dayText, finding } from './criterionSupport.ts';
import { redFlagValues } from './currentScreening.ts';
import type { Evidence, Finding, RedFlagFinding } from './eligibility.ts';
import type { RedFlagId } from './eligibilityConfig.ts';
import { outOfDateNote } from './eligibilityCriteria.ts';
import { chartRedFlags, redFlagLabel, redFlagRule } from './redFlags.ts';
import { RED_FLAGS, evaluateRedFlags } from './screening.ts';

/** Who cleared it and when; the note is shown with the clearance's evidence line. */
function cleared(clearance: RedFlagClearance): string {
  const who = clearance.authorName ?? clearance.author ?? 'a clinician';
  return `evaluated by ${who} on ${dayText(clearance.authored)}: does not preclude the programme.`;
}

function flag(
  id: RedFlagId,
  origin: RedFlagFinding['origin'],
  records: readonly RedFlagRecord[],
  evidence: readonly Evidence[],
  clearances: readonly RedFlagClearance[],
): RedFlagFinding {
  const rule = redFlagRule(id);
  const clearance = clearanceCovering(id, records, clearances);
  return {
    id,
    label: redFlagLabel(id),
    origin,
    urgency: rule.urgency,
    clearable: rule.clearable,
    status: clearance === undefined ? 'needs-evaluation' : 'cleared',
    evidence: clearance === undefined ? evidence : [...evidence, { kind: 'clearance', clearance }],
    clearance,
  };
}

function pendingMessage(f: RedFlagFinding, reported: string): string {
  switch (f.urgency) {
    case 'emergency':
      return `Possible cauda equina syndrome: ${f.label.toLowerCase()} ${reported}. Emergency: same-day emergency evaluation; do not refer to the group programme. It cannot be cleared here.`;
    case 'urgent':
      return `${f.label} ${reported}: urgent clinician evaluation.`;
    case 'evaluate':
      return f.clearable
        ? `${f.label} ${reported}: clinician evaluation needed.`
        : `${f.label} ${reported}: clinician evaluation needed; it cannot be cleared in the app (update the problem list after the evaluation).`;
  }
}

function findingOf(f: RedFlagFinding, reported: string): Finding {
  if (f.status === 'cleared' && f.clearance !== undefined) {
    return finding('no-red-flags', 'met', `${f.label}: ${cleared(f.clearance)}`, f.evidence, {
      redFlag: f.id,
    });
  }
  return finding('no-red-flags', 'evaluate', pendingMessage(f, reported), f.evidence, {
    urgent: f.urgency !== 'evaluate',
    redFlag: f.id,
  });
}

/**
 * What "no red flag" rests on, said as what was checked: the screening questions and the chart's
 * Conditions against the project's code lists (a Condition coded outside them is not seen).
 */
const NOTHING_FOUND =
  'no red-flag question answered "yes" in a current screening, and no Condition on the chart from the project\'s red-flag code lists.';

const conditionText = (conditions: readonly ConditionEvidence[]): string =>
  [...new Set(conditions.map((c) => `${c.display} (${c.code})`))].join('; ');

type Flagged = { findings: Finding[]; flags: RedFlagFinding[] };

/**
 * The red flags the current screening reports (a later "no" does not clear a "yes"), and those
 * reported only in a screening now out of date (to ask again).
 */
function screeningRedFlags(
  screening: CriterionContext['screening'],
  clearances: readonly RedFlagClearance[],
): Flagged {
  const findings: Finding[] = [];
  const flags: RedFlagFinding[] = [];
  for (const question of RED_FLAGS) {
    const answer = screening.current.redFlags[question.key];
    const stale = screening.outOfDate.redFlags[question.key];
    if (answer?.value === true) {
      const records = [{ reference: answer.response, date: answer.authored }];
      const laterNo = screening.laterNo[question.key] ?? [];
      const f = flag(
        question.key,
        'screening',
        records,
        [
          ...answerEvidence(question.linkId, answer),
          ...laterNo.flatMap((no) => answerEvidence(question.linkId, no)),
        ],
        clearances,
      );
      flags.push(f);
      const contradicted = laterNo.map(
        (no) => `answered no on ${dayText(no.authored)} after yes on ${dayText(answer.authored)}`,
      );
      findings.push(
        findingOf(
          f,
          contradicted.length === 0
            ? `reported on ${dayText(answer.authored)}`
            : `reported on ${dayText(answer.authored)} (${contradicted.join('; ')}: a later "no" does not clear it, a clinician's evaluation does)`,
        ),
      );
    } else if (answer === undefined && stale?.value === true) {
      const evidence = answerEvidence(question.linkId, stale, true);
      flags.push({
        ...flag(question.key, 'screening', [], evidence, []),
        status: 'out-of-date',
      });
      findings.push(
        finding(
          'no-red-flags',
          'unknown',
          `${question.text} was reported on ${dayText(stale.authored)}: out of date — ask again.`,
          evidence,
          { redFlag: question.key },
        ),
      );
    }
  }
  return { findings, flags };
}

/** The red flags the chart's Conditions show (a vertebral fracture with any osteoporosis beside it). */
function chartConditionRedFlags(
  conditions: CriterionContext['input']['conditions'],
  clearances: readonly RedFlagClearance[],
): Flagged {
  const findings: Finding[] = [];
  const flags: RedFlagFinding[] = [];
  for (const chart of chartRedFlags(conditions)) {
    const records = chart.conditions.map((c) => ({
      reference: c.conditionId === undefined ? undefined : `Condition/${c.conditionId}`,
      date: c.recorded,
    }));
    const context =
      chart.id === 'vertebral-fracture'
        ? conditionsMatching(conditions, OSTEOPOROSIS_CODES, 'osteoporosis', true)
        : [];
    const f = flag(chart.id, 'chart', records, [...chart.conditions, ...context], clearances);
    flags.push(f);
    findings.push(findingOf(f, `(${conditionText(chart.conditions)})`));
  }
  return { findings, flags };
}

export function redFlagCriterion({ input, screening }: CriterionContext): Flagged {
  const clearances = input.clearances ?? [];
  const reported = screeningRedFlags(screening, clearances);
  const charted = chartConditionRedFlags(input.conditions, clearances);
  const findings = [...reported.findings, ...charted.findings];
  const flags = [...reported.flags, ...charted.flags];
  const answered = evaluateRedFlags(redFlagValues(screening.current.redFlags));
  const unanswered = answered.kind === 'none' ? [] : answered.unanswered;
  if (unanswered.length > 0) {
    const stale = unanswered.flatMap((q) =>
      screening.outOfDate.redFlags[q.key]?.value === false
        ? answerEvidence(q.linkId, screening.outOfDate.redFlags[q.key], true)
        : [],
    );
    findings.push(
      finding(
        'no-red-flags',
        'unknown',
        `Ask the red-flag questions (${unanswered.length} unanswered).${outOfDateNote(stale)}`,
        stale,
      ),
    );
  }
  if (findings.every((f) => f.status === 'met') && unanswered.length === 0) {
    const evidence = RED_FLAGS.flatMap((q) => {
      const answer = screening.current.redFlags[q.key];
      return answer?.value === false ? answerEvidence(q.linkId, answer) : [];
    });
    findings.push(
      finding(
        'no-red-flags',
        'met',
        `${flags.length === 0 ? 'No red flag' : 'No other red flag'}: ${NOTHING_FOUND}`,
        evidence,
      ),
    );
  }
  return { findings, flags };
}
