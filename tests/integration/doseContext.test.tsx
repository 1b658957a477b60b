// @vitest-environment happy-dom
/**
 * The Opioids section's guideline words beside a dose change: CDC 2022's own sentences in
 * quotation marks, the project's summary of them (clinical.md "Dose changes") never so.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { addMonths, dayIndex, isoDate } from '../../src/domain/fhir-primitives/dates.ts';
import { computeMedicationMme, summariseMme } from '../../src/domain/mme/mme.ts';
import type { OpioidRiskContext } from '../../src/domain/mme/riskContext.ts';
import { DoseContext } from '../../src/ui/opioids/DoseContext.tsx';
import { RX, dosage, noMedications, rxnorm, statement } from '../unit/mme/builders.ts';

const AS_OF = '2026-11-21';
const asOfDay = dayIndex(AS_OF) ?? 0;

/** Morphine 60 mg a day from two months ago, 30 mg a day for the last fifteen days. */
function startedThenCut() {
  const steps: [number, number, number | undefined][] = [
    [60, addMonths(asOfDay, -2), asOfDay - 16],
    [30, asOfDay - 15, undefined],
  ];
  return steps.map(([mg, first, last], i) =>
    computeMedicationMme(
      statement(
        { medicationCodeableConcept: rxnorm(RX.morphine15) },
        {
          id: `s${String(i)}`,
          dosage: [dosage(mg, 'mg', 1)],
          effectivePeriod:
            last === undefined
              ? { start: isoDate(first) }
              : { start: isoDate(first), end: isoDate(last) },
        },
      ),
      noMedications,
    ),
  );
}

const NO_RISK: OpioidRiskContext = {
  prompts: [],
  naloxone: [],
  benzodiazepines: [],
  opioidUseDisorder: [],
};

afterEach(cleanup);

describe('DoseContext', () => {
  it('shows the summary on shorter use without quotation marks, beside the quoted guideline', () => {
    const summary = summariseMme(startedThenCut(), { asOf: AS_OF });
    expect(summary.trajectory).toMatchObject({ kind: 'decreasing', startedWithinWindows: true });
    render(<DoseContext summary={summary} risk={NO_RISK} />);

    const note = screen.getByTestId('guideline-summary');
    expect(note.textContent).toBe(
      "Faster tapers (e.g. 10% per week) can suit shorter use. The project's clinical reference, summarising CDC 2022 (MMWR Recomm Rep 2022;71(RR-3)), Recommendation 5 (not a quotation)",
    );
    expect(note.closest('blockquote')).toBeNull();
    const quoted = [...document.querySelectorAll('blockquote')].map((q) => q.textContent);
    expect(quoted).toHaveLength(2);
    expect(quoted[0]).toMatch(/^“Tapers of approximately 10% per month or slower/);
    expect(quoted[1]).toMatch(/^“Unless there are indications of a life-threatening issue/);
    expect(quoted.join(' ')).not.toContain('can suit shorter use');
  });
});
