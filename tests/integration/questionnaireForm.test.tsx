// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { PEG_ITEMS } from '../../src/domain/peg/peg.ts';
import type { FormAnswer, FormAnswers } from '../../src/fhir/questionnaireAnswers.ts';
import { PEG_QUESTIONNAIRE, SCREENING_QUESTIONNAIRE } from '../../src/fhir/questionnaires.ts';
import { pegCalculatedItems } from '../../src/ui/peg/PegForm.tsx';
import { QuestionnaireForm } from '../../src/ui/questionnaire/QuestionnaireForm.tsx';

afterEach(() => {
  cleanup();
});

function PegHarness() {
  const [answers, setAnswers] = useState<FormAnswers>({});
  return (
    <QuestionnaireForm
      idPrefix="peg"
      items={PEG_QUESTIONNAIRE.item ?? []}
      answers={answers}
      onAnswer={(linkId: string, answer: FormAnswer) => {
        setAnswers((a) => ({ ...a, [linkId]: answer }));
      }}
      calculated={pegCalculatedItems(answers)}
    />
  );
}

describe('forms rendered from the Questionnaires', () => {
  it('renders each PEG item as a labelled group of eleven choices, 0 to 10, with its anchors', () => {
    render(<PegHarness />);
    for (const item of PEG_ITEMS) {
      const group = screen.getByRole('group', { name: (name) => name.startsWith(item.text) });
      const radios = within(group).getAllByRole('radio');
      expect(radios.map((r) => (r.closest('label')?.textContent ?? '').trim())).toEqual(
        Array.from({ length: 11 }, (_, i) => String(i)),
      );
      expect(group.textContent).toContain(`0 = ${item.anchors.low}`);
      expect(group.textContent).toContain(`10 = ${item.anchors.high}`);
    }
  });

  it('shows the live mean only once all three items are answered', () => {
    render(<PegHarness />);
    const score = () => screen.getByText(/PEG score/).querySelector('output')?.textContent;
    const pick = (index: number, value: string) => {
      const group = screen.getAllByRole('group')[index];
      fireEvent.click(within(group!).getByLabelText(value));
    };
    pick(0, '6');
    pick(1, '7');
    expect(score()).toBe('—');
    pick(2, '4');
    expect(score()).toBe('5.67');
  });

  it('renders the screening with the Task Force questions before the red flags, cauda equina signs first', () => {
    render(
      <QuestionnaireForm
        idPrefix="s"
        items={SCREENING_QUESTIONNAIRE.item ?? []}
        answers={{}}
        onAnswer={() => undefined}
      />,
    );
    const legends = screen
      .getAllByRole('group')
      .map((g) => g.querySelector('legend')?.textContent ?? '');
    const taskForce = legends.findIndex((l) => l.includes('How long has low back pain'));
    const cauda = legends.findIndex((l) => /cauda equina/i.test(l));
    const cancer = legends.findIndex((l) => /cancer/i.test(l));
    expect(taskForce).toBeGreaterThanOrEqual(0);
    expect(taskForce).toBeLessThan(cauda);
    expect(cauda).toBeLessThan(cancer);
  });
});
