import type { Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { evaluatePathway } from '../../../src/domain/pathway/pathway.ts';
import { nextActionText, statusLine } from '../../../src/domain/pathway/status.ts';
import { CLBP, chart, on, peg, referral, screening, session } from './chartBuilders.ts';

const PEGS = [peg('peg-1', '2026-01-02', [7, 7, 6]), peg('peg-2', '2026-02-20', [6, 6, 6])];
/** A PEG within the 30 days eligibility asks for on 2026-03-30. */
const RECENT_PEG = peg('peg-3', '2026-03-15', [6, 6, 6]);

function evaluate(resources: Parameters<typeof chart>[0], today: string) {
  const pathway = evaluatePathway(chart(resources), on(today));
  return {
    state: pathway.state.kind,
    status: statusLine(pathway),
    next: nextActionText(pathway.nextAction),
  };
}

describe('where the patient is on the pathway, and the one next action', () => {
  it.each([
    [
      'no screening on record',
      [CLBP, ...PEGS],
      'not-screened',
      'Not yet screened for chronic low back pain',
      'Screen for chronic low back pain',
    ],
    [
      'a screening with the telehealth question unanswered',
      [CLBP, ...PEGS, screening('2026-03-01', { omit: 'telehealth-able' })],
      'screening-incomplete',
      'Screening incomplete',
      'Complete the screening',
    ],
    [
      'a complete screening but no PEG',
      [CLBP, screening('2026-03-01')],
      'needs-peg',
      'Screened — a PEG is needed before a referral',
      'Record a PEG',
    ],
    [
      'a saddle anaesthesia answer',
      [CLBP, ...PEGS, screening('2026-03-01', { redFlag: 'rf-saddle-anaesthesia' })],
      'needs-evaluation',
      'Emergency: possible cauda equina syndrome — same-day emergency evaluation',
      'Arrange same-day emergency evaluation',
    ],
    [
      'a progressive neurological deficit answer',
      [CLBP, ...PEGS, screening('2026-03-01', { redFlag: 'rf-progressive-neurological-deficit' })],
      'needs-evaluation',
      'Urgent: progressive neurological deficit — urgent clinician evaluation',
      'Evaluate urgently, before any referral',
    ],
    [
      'a trauma answer',
      [CLBP, ...PEGS, screening('2026-03-01', { redFlag: 'rf-trauma' })],
      'needs-evaluation',
      'Needs clinician evaluation: major trauma, or minor trauma with osteoporosis or long-term steroids',
      'Evaluate the red flag before any referral',
    ],
    [
      'back pain on less than half the days',
      [CLBP, ...PEGS, screening('2026-03-01', { frequency: 'less-than-half' })],
      'not-eligible',
      'Not eligible for the mindfulness programme',
      'No pathway action',
    ],
    [
      'a complete screening and a PEG of 6',
      [CLBP, ...PEGS, RECENT_PEG, screening('2026-03-01')],
      'eligible',
      'Eligible for the mindfulness group programme',
      'Refer to the mindfulness group programme',
    ],
    [
      'a referral the programme has not seen yet',
      [CLBP, ...PEGS, screening('2026-03-01'), ...referral('2026-03-02', 'requested')],
      'referred',
      'Referred — awaiting the programme — follow-up PEGs provisional until the first session',
      'Nothing due now: the programme contacts the patient',
    ],
    [
      'a referral the programme accepted',
      [CLBP, ...PEGS, screening('2026-03-01'), ...referral('2026-03-02', 'accepted')],
      'scheduled',
      'Referred — accepted by the programme, waiting for a cohort — follow-up PEGs provisional until the first session',
      'Nothing due now: the programme contacts the patient',
    ],
    [
      'five sessions attended',
      [
        CLBP,
        ...PEGS,
        ...referral('2026-02-21', 'in-progress', { start: '2026-03-01' }),
        ...[0, 1, 2, 3, 4].map((w) =>
          session('2026-02-21', `2026-03-${String(1 + w * 7).padStart(2, '0')}`, w),
        ),
      ],
      'in-programme',
      'In the mindfulness programme — session 5 of 8',
      'Nothing due now: the programme contacts the patient',
    ],
    [
      'a declined referral',
      [
        CLBP,
        ...PEGS,
        RECENT_PEG,
        screening('2026-02-01'),
        ...referral('2026-02-21', 'rejected', { reason: 'No video access' }),
      ],
      'declined',
      'Referral declined by the programme: No video access',
      'Refer again to the mindfulness group programme',
    ],
    [
      'a cancelled referral',
      [CLBP, ...PEGS, ...referral('2026-02-21', 'cancelled', { reason: 'Patient moved away' })],
      'cancelled',
      'Referral cancelled: Patient moved away',
      'Screen for chronic low back pain',
    ],
  ])('%s: %s', (_case, resources, state, status, next) => {
    expect(evaluate(resources, '2026-03-30')).toEqual({ state, status, next });
  });

  it('never says "Not eligible" to a referred patient whose eligibility lists the open referral', () => {
    const pathway = evaluatePathway(
      chart([CLBP, ...PEGS, screening('2026-03-01'), ...referral('2026-03-02', 'requested')]),
      on('2026-03-10'),
    );
    expect(pathway.eligibility.verdict).toBe('not-eligible');
    expect(statusLine(pathway)).not.toMatch(/not eligible/i);
  });

  it('falls back to eligibility once a new screening follows a cancelled referral', () => {
    const resources = [
      CLBP,
      ...PEGS,
      RECENT_PEG,
      ...referral('2026-02-21', 'cancelled', { reason: 'Patient moved away' }),
      screening('2026-03-20'),
    ];
    expect(evaluate(resources, '2026-03-30')).toEqual({
      state: 'eligible',
      status: 'Eligible for the mindfulness group programme',
      next: 'Refer again to the mindfulness group programme',
    });
  });

  it('claims nothing when the referrals could not be read', () => {
    const pathway = evaluatePathway(
      chart([CLBP, ...PEGS], { referrals: undefined }),
      on('2026-03-30'),
    );
    expect(pathway.state).toEqual({ kind: 'unknown', missing: ['referrals'] });
    expect(statusLine(pathway)).toBe(
      'Cannot tell where this patient is: the referrals could not be read',
    );
  });
});

describe('follow-up PEGs timed from the programme start', () => {
  const started = [
    CLBP,
    peg('baseline', '2026-01-05', [7, 7, 6]),
    ...referral('2026-01-05', 'in-progress', { start: '2026-01-11' }),
  ];

  it('does not call week 8 due on 28 January for a programme that started on 11 January', () => {
    const pathway = evaluatePathway(chart(started), on('2026-01-28'));
    expect(pathway.followUps?.points[0]).toMatchObject({
      dueDate: '2026-03-08',
      status: 'upcoming',
    });
    expect(pathway.state.kind).toBe('in-programme');
  });

  it('says the week-8 PEG is due inside its window, and offers to record it', () => {
    const pathway = evaluatePathway(chart(started), on('2026-03-01'));
    expect(statusLine(pathway)).toBe('In the mindfulness programme — week-8 PEG due now');
    expect(nextActionText(pathway.nextAction)).toBe('Record the week-8 PEG');
  });

  it('calls a missed week 8 overdue until a later PEG is recorded', () => {
    expect(evaluatePathway(chart(started), on('2026-04-01')).state.kind).toBe('follow-up-overdue');
    const late = [...started, peg('late', '2026-03-30', [5, 5, 5])];
    expect(evaluatePathway(chart(late), on('2026-04-01')).state.kind).toBe('in-programme');
  });

  it('takes the baseline closest before the start, at most 30 days before it, and scores the change from it', () => {
    const resources = [
      ...started,
      peg('older', '2025-12-01', [3, 3, 3]),
      peg('week8', '2026-03-06', [5, 5, 4]),
    ];
    const pathway = evaluatePathway(chart(resources), on('2026-03-10'));
    expect(pathway.peg.baseline).toMatchObject({
      kind: 'baseline',
      administration: { score: 6.67 },
    });
    // 7/7/6 → 5/5/4: exactly 30% and 2 points better, from the unrounded means.
    expect(pathway.peg.change).toEqual({
      kind: 'change',
      direction: 'better',
      points: -2,
      percent: { kind: 'percent', value: -30 },
      reachesMcid: true,
      reaches30Percent: true,
    });
  });

  it('has no baseline when the only PEG is more than 30 days before the start', () => {
    const resources = [
      CLBP,
      peg('old', '2025-12-01', [7, 7, 6]),
      ...referral('2026-01-05', 'in-progress', { start: '2026-01-11' }),
    ];
    expect(evaluatePathway(chart(resources), on('2026-01-20')).peg.baseline).toEqual({
      kind: 'none',
      reason: 'none-in-window',
    });
  });

  it('times provisional follow-ups from the referral until the programme starts', () => {
    const pathway = evaluatePathway(
      chart([CLBP, ...PEGS, ...referral('2026-03-02', 'requested')]),
      on('2026-03-10'),
    );
    expect(pathway.followUps).toMatchObject({
      provisional: true,
      anchor: { kind: 'referral', day: '2026-03-02' },
      points: [{ id: 'week8', dueDate: '2026-04-27' }, { id: 'month6' }, { id: 'month12' }],
    });
  });

  it('reports a completed programme with month 6 due as due, with the sessions attended', () => {
    const resources = [
      CLBP,
      peg('baseline', '2025-08-25', [7, 7, 6]),
      ...referral('2025-08-25', 'completed', { start: '2025-09-01' }),
      ...['09-01', '09-08', '09-15', '09-22', '10-06', '10-13', '10-20'].map((day, n) =>
        session('2025-08-25', `2025-${day}`, n),
      ),
    ];
    const pathway = evaluatePathway(chart(resources), on('2026-03-01'));
    expect(statusLine(pathway)).toBe(
      'Completed the mindfulness programme — attended 7 of 8 sessions — month-6 PEG due now',
    );
  });
});

describe('a long PEG history read newest first', () => {
  const started = [
    CLBP,
    peg('baseline', '2026-01-05', [7, 7, 6]),
    peg('week8', '2026-03-06', [5, 5, 4]),
    ...referral('2026-01-05', 'in-progress', { start: '2026-01-11' }),
  ];

  it('waits for the older PEGs when the baseline may be among them, rather than guess', () => {
    const partial = { ...chart(started), olderPegs: { completeAfter: '2026-02-01T00:00:00Z' } };
    const pathway = evaluatePathway(partial, on('2026-03-10'));
    expect(pathway.peg).toMatchObject({
      baselineWaits: true,
      baseline: undefined,
      change: undefined,
    });
    expect(pathway.followUps).toBeUndefined();
  });

  it('takes the baseline it has when it is newer than every PEG still to come', () => {
    const partial = { ...chart(started), olderPegs: { completeAfter: '2025-12-01T00:00:00Z' } };
    const pathway = evaluatePathway(partial, on('2026-03-10'));
    expect(pathway.peg.baselineWaits).toBe(false);
    expect(pathway.peg.baseline).toMatchObject({ administration: { score: 6.67 } });
  });
});

describe('reading the PEGs again when the chart changes', () => {
  it('reads responses to a form the chart did not hold before, with the same responses', () => {
    const response: QuestionnaireResponse = {
      resourceType: 'QuestionnaireResponse',
      id: 'acme-1',
      questionnaire: 'http://fhir.acme-ehr.example.org/Questionnaire/peg-3|2.1',
      status: 'completed',
      subject: { reference: 'Patient/p' },
      authored: '2026-03-20T09:00:00-06:00',
      item: ['1', '2', '3'].map((linkId, i) => ({
        linkId,
        answer: [{ valueInteger: [5, 4, 4][i] ?? 0 }],
      })),
    };
    const acme: Questionnaire = {
      resourceType: 'Questionnaire',
      url: 'http://fhir.acme-ehr.example.org/Questionnaire/peg-3',
      version: '2.1',
      status: 'active',
      item: [
        { linkId: '1', type: 'integer', code: [{ system: 'http://loinc.org', code: '75893-8' }] },
        { linkId: '2', type: 'integer', code: [{ system: 'http://loinc.org', code: '91145-3' }] },
        { linkId: '3', type: 'integer', code: [{ system: 'http://loinc.org', code: '91146-1' }] },
      ],
    };
    const before = chart([CLBP, response]);
    expect(evaluatePathway(before, on('2026-03-30')).peg.latest).toBeUndefined();
    // The same responses array, now with the vendor's form in hand: its PEG is read.
    const after = { ...before, questionnaires: [...before.questionnaires, acme] };
    expect(evaluatePathway(after, on('2026-03-30')).peg.latest?.score).toBe(4.33);
    // And the first chart still reads as it did.
    expect(evaluatePathway(before, on('2026-03-30')).peg.latest).toBeUndefined();
  });
});
