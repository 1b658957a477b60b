/**
 * One patient's pathway as plain data (the `clbp pathway` JSON row, the EHR simulator's column,
 * the cross-check's comparison): numbers as the pathway computed them, words from status.ts.
 */
import type { RedFlagFinding } from '../screening/eligibility.ts';
import type { RedFlagUrgency } from '../screening/eligibilityConfig.ts';
import type { FollowUpId, FollowUpStatus } from './followUp.ts';
import { formatNumber } from '../mme/format.ts';
import { isActiveOn } from '../mme/mme.ts';
import type { MmeOverview, MmeTrajectory } from './mmeOverview.ts';
import type { Pathway, PathwayStateKind } from './pathway.ts';
import { nextActionText, statusLine } from './status.ts';
import { PEG_REPORTER_TEXT, type PegAdministration } from '../peg/peg.ts';

export interface RedFlagRecord {
  readonly finding: string;
  /** The chart code that matched, or null for a screening answer. */
  readonly code: string | null;
  /** 'Condition/<id>', or 'answer' (with the response when known: 'answer QuestionnaireResponse/<id>'). */
  readonly source: string;
  /** Emergency or urgent (a cauda equina sign, a progressive deficit): evaluate today. */
  readonly urgent: boolean;
  readonly urgency: RedFlagUrgency;
  /** A clinician recorded that it was evaluated and does not preclude the programme. */
  readonly cleared: boolean;
  /** A "yes" older than the screening window: ask again. */
  readonly outOfDate: boolean;
}

/** A risk prompt beside the dose (CDC 2022 Recommendations 8 and 11) and the records it rests on. */
export interface PromptRecord {
  readonly kind: 'naloxone' | 'benzodiazepine';
  readonly recommendation: number;
  /** 'MedicationRequest/…', 'Condition/…'; empty for a dose reason without a counted record id. */
  readonly basis: readonly string[];
}

export interface PathwayRecord {
  readonly id: string;
  readonly state: PathwayStateKind;
  readonly status: string;
  readonly eligibility: { readonly verdict: string; readonly reasons: readonly string[] };
  readonly redFlags: readonly RedFlagRecord[];
  readonly peg: {
    readonly latest: number | null;
    readonly latestDate: string | null;
    /** Who entered the latest PEG (PEG_REPORTER_TEXT), when its response names an author. */
    readonly latestReportedBy: string | null;
    readonly baseline: number | null;
    readonly baselineDate: string | null;
    readonly baselineReportedBy: string | null;
    /** Latest − baseline in points (2 decimals); negative = better. */
    readonly change: number | null;
    readonly reachesMcid: boolean | null;
    readonly reaches30Percent: boolean | null;
  };
  readonly mme: {
    readonly current: number;
    readonly trajectory: MmeTrajectory;
    readonly percentPerMonth: number | null;
    readonly fasterThanGuideline: boolean | null;
  } | null;
  readonly prompts: readonly PromptRecord[];
  readonly referral: {
    readonly stage: string;
    readonly referredOn: string | null;
    readonly programmeStart: string | null;
    readonly sessionsAttended: number | null;
  } | null;
  readonly followUps: readonly {
    readonly timePoint: FollowUpId;
    readonly due: string;
    readonly status: FollowUpStatus;
    readonly provisional: boolean;
  }[];
  readonly nextAction: string;
}

/** One row per red flag and record it rests on (context findings such as osteoporosis are not). */
function redFlagRecords(flag: RedFlagFinding): RedFlagRecord[] {
  const base = {
    finding: flag.label,
    urgent: flag.status === 'needs-evaluation' && flag.urgency !== 'evaluate',
    urgency: flag.urgency,
    cleared: flag.status === 'cleared',
    outOfDate: flag.status === 'out-of-date',
  };
  return flag.evidence.flatMap((evidence): RedFlagRecord[] => {
    switch (evidence.kind) {
      case 'condition':
        return evidence.list === 'osteoporosis'
          ? []
          : [
              {
                ...base,
                code: evidence.code,
                source: `Condition/${evidence.conditionId ?? '?'}`,
              },
            ];
      case 'screening-answer':
        return [
          {
            ...base,
            code: null,
            source: evidence.response === undefined ? 'answer' : `answer ${evidence.response}`,
          },
        ];
      case 'birth-date':
      case 'peg':
      case 'pregnancy-observation':
      case 'clearance':
      case 'referral':
        return [];
    }
  });
}

const defined = (references: readonly (string | undefined)[]): string[] => [
  ...new Set(references.filter((r): r is string => r !== undefined)),
];

/** The risk prompts, each with the records it rests on (the dose: the opioids counted today). */
function promptRecords(mme: MmeOverview, asOfDay: string): PromptRecord[] {
  const counted = mme.results
    .filter((r) => r.kind === 'counted' && isActiveOn(r.interval, asOfDay))
    .map((r) => `${r.resourceType}/${r.id}`);
  return mme.risk.prompts.map((prompt): PromptRecord => {
    switch (prompt.kind) {
      case 'offer-naloxone':
        return {
          kind: 'naloxone',
          recommendation: prompt.recommendation,
          basis: defined(
            prompt.reasons.flatMap((reason) => {
              switch (reason.kind) {
                case 'dose':
                  return counted;
                case 'benzodiazepine':
                  return reason.records.map((r) => r.reference);
                case 'opioid-use-disorder':
                  return reason.conditions.map((c) => c.reference);
              }
            }),
          ),
        };
      case 'concurrent-benzodiazepine':
        return {
          kind: 'benzodiazepine',
          recommendation: prompt.recommendation,
          basis: defined(prompt.benzodiazepines.map((r) => r.reference)),
        };
    }
  });
}

const reporterText = (a: PegAdministration | undefined): string | null =>
  a?.reportedBy === undefined ? null : PEG_REPORTER_TEXT[a.reportedBy];

export function pathwayRecord(id: string, pathway: Pathway): PathwayRecord {
  const { peg, eligibility } = pathway;
  const baseline = peg.baseline?.kind === 'baseline' ? peg.baseline.administration : undefined;
  const change = peg.change?.kind === 'change' ? peg.change : undefined;
  const referral = pathway.referral;
  return {
    id,
    state: pathway.state.kind,
    status: statusLine(pathway),
    eligibility: {
      verdict: eligibility.verdict,
      reasons: eligibility.reasons.map((r) => r.message),
    },
    redFlags: eligibility.redFlags.flatMap(redFlagRecords),
    peg: {
      latest: peg.latest?.score ?? null,
      latestDate: peg.latest?.date ?? null,
      latestReportedBy: reporterText(peg.latest),
      baseline: baseline?.score ?? null,
      baselineDate: baseline?.date ?? null,
      baselineReportedBy: reporterText(baseline),
      change: change?.points ?? null,
      reachesMcid: change?.reachesMcid ?? null,
      reaches30Percent: change?.reaches30Percent ?? null,
    },
    mme:
      pathway.mme === undefined
        ? null
        : {
            current: pathway.mme.summary.current,
            trajectory: pathway.mme.trajectory,
            // As the Opioids section words it (formatNumber: 2 decimals).
            percentPerMonth:
              pathway.mme.percentPerMonth === null
                ? null
                : Number(formatNumber(pathway.mme.percentPerMonth)),
            fasterThanGuideline:
              pathway.mme.summary.trajectory.kind === 'no-opioids'
                ? null
                : pathway.mme.summary.trajectory.fasterThanUsualTaper,
          },
    prompts: pathway.mme === undefined ? [] : promptRecords(pathway.mme, pathway.asOf),
    referral:
      referral === undefined
        ? null
        : {
            stage: referral.stage,
            referredOn: referral.referredOn ?? null,
            programmeStart: referral.programmeStart?.day ?? null,
            sessionsAttended: referral.sessionsAttended ?? null,
          },
    followUps: (pathway.followUps?.points ?? []).map((p) => ({
      timePoint: p.id,
      due: p.dueDate,
      status: p.status,
      provisional: pathway.followUps?.provisional ?? false,
    })),
    nextAction: nextActionText(pathway.nextAction),
  };
}
