import type { Condition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { evaluatePathway } from '../../../src/domain/pathway/pathway.ts';
import { screeningView } from '../../../src/ui/screening/screeningView.ts';
import { CLBP, chart, on, peg, referral, screening } from './chartBuilders.ts';

const TODAY = '2026-03-30';
const RECENT_PEG = peg('peg-3', '2026-03-15', [6, 6, 6]);

function view(resources: Parameters<typeof chart>[0]) {
  const conditions = resources.filter((r): r is Condition => r.resourceType === 'Condition');
  return screeningView(evaluatePathway(chart(resources), on(TODAY)), conditions, 3, on(TODAY));
}

describe('the screening section view', () => {
  it('cites the chart diagnosis, the screening and the latest PEG for an eligible patient', () => {
    const v = view([CLBP, RECENT_PEG, screening('2026-03-01')]);
    expect(v.referred).toBe(false);
    expect(v.referralReason).toBe('Condition/clbp');
    expect(v.supportingInfo).toEqual([
      'QuestionnaireResponse/screening-2026-03-01',
      'Observation/peg-3',
    ]);
    // Chronic low back pain is on the problem list already: nothing to confirm.
    expect(v.problemListFrom).toBeUndefined();
  });

  it('offers the problem list from a screening that meets the Task Force definition', () => {
    const v = view([RECENT_PEG, screening('2026-03-01')]);
    expect(v.referralReason).toBeUndefined();
    expect(v.problemListFrom).toBe('QuestionnaireResponse/screening-2026-03-01');
  });

  it('never offers the problem list from a screening that does not meet it', () => {
    const v = view([RECENT_PEG, screening('2026-03-01', { frequency: 'less-than-half' })]);
    expect(v.problemListFrom).toBeUndefined();
  });

  it('keeps a cauda equina sign out of the clearance and lets a progressive deficit in', () => {
    const saddle = view([
      CLBP,
      RECENT_PEG,
      screening('2026-03-01', { redFlag: 'rf-saddle-anaesthesia' }),
    ]);
    expect(saddle.clearable).toEqual([]);
    expect(saddle.notClearable).toHaveLength(1);
    const deficit = view([
      CLBP,
      RECENT_PEG,
      screening('2026-03-01', { redFlag: 'rf-progressive-neurological-deficit' }),
    ]);
    expect(deficit.notClearable).toEqual([]);
    expect(deficit.clearable).toHaveLength(1);
  });

  it('says a referred patient is referred, whatever the eligibility', () => {
    const v = view([
      CLBP,
      RECENT_PEG,
      screening('2026-03-01'),
      ...referral('2026-03-02', 'requested'),
    ]);
    expect(v.referred).toBe(true);
  });
});
