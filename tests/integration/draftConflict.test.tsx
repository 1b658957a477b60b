// @vitest-environment happy-dom
/**
 * A form whose save meets a conflict (the EHR holds other answers under its submission): the
 * answers become editable again and the next save records them under a new submission.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FhirError } from '../../src/fhir/errors.ts';
import { PEG_QUESTIONNAIRE } from '../../src/fhir/questionnaires.ts';
import type { SentDraft } from '../../src/ui/drafts.ts';
import { loadDraft, storeDraft } from '../../src/ui/drafts.ts';
import { QuestionnaireDraftForm } from '../../src/ui/questionnaire/QuestionnaireDraftForm.tsx';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

describe('a form whose save meets a conflict', () => {
  it('unlocks the answers and saves them next time under a new submission', async () => {
    const sent: SentDraft[] = [];
    const save = (draft: SentDraft): Promise<string> => {
      sent.push(draft);
      return sent.length === 1
        ? Promise.reject(new FhirError({ kind: 'conflict', message: 'Saving the PEG: conflict' }))
        : Promise.resolve('ok');
    };
    render(
      <QuestionnaireDraftForm
        form="peg"
        patientId="p"
        questionnaire={PEG_QUESTIONNAIRE}
        label="Record a PEG"
        noun="PEG"
        save={save}
        now={() => new Date('2026-03-16T21:00:00Z')}
        notReady={() => undefined}
        saved={() => <p role="status">PEG saved.</p>}
      />,
    );
    expect(loadDraft('peg', 'p')?.submissionId).toBeUndefined();
    fireEvent.click(screen.getByRole('button', { name: 'Save PEG' }));
    await screen.findByText('Saving the PEG: conflict');
    expect(screen.getByRole('button', { name: 'Save PEG' })).toBeTruthy(); // not "Retry"
    expect(loadDraft('peg', 'p')?.submissionId).toBeUndefined();
    fireEvent.click(screen.getByRole('button', { name: 'Save PEG' }));
    await screen.findByText('PEG saved.');
    await waitFor(() => {
      expect(sent).toHaveLength(2);
    });
    expect(sent[1]?.submissionId).not.toBe(sent[0]?.submissionId);
    // The draft itself is the same one: records written while it was filled in stay its own.
    expect(sent[1]?.draftId).toBe(sent[0]?.draftId);
  });
});

describe('a stored draft', () => {
  it('keeps its own id through a reload, and takes it from the submission id of an older draft', () => {
    const draft = { draftId: 'd-1', answers: {}, extra: {} };
    storeDraft('screening', 'p', draft);
    expect(loadDraft('screening', 'p')).toEqual(draft);
    sessionStorage.setItem(
      'clbp-pathway:draft:screening:p',
      JSON.stringify({ submissionId: 's-1', answers: {}, extra: {} }),
    );
    expect(loadDraft('screening', 'p')).toEqual({ draftId: 's-1', answers: {}, extra: {} });
  });
});
