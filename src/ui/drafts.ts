/**
 * Drafts of forms, kept in this tab's session storage (keyed by form and patient) until the EHR
 * confirms the save: a failed save, an expired session or a reload loses nothing. A draft gets the
 * submission id its save uses when it is first sent, so a retry can never create a second record,
 * and a tab duplicated before the send (the browser copies session storage) saves its own answers
 * under its own id rather than being told the other tab's record is its own.
 */
import { parseFormAnswers, type FormAnswers } from '../fhir/questionnaireAnswers.ts';

export interface Draft {
  /**
   * The draft's own id, drawn when it is created and kept through reloads (and copied into a
   * duplicated tab): the key of records written while it is being filled in (an urgent red flag
   * is recorded the moment it is answered), which belong to this draft whichever tab saves it.
   */
  readonly draftId: string;
  /** Drawn at the first send; undefined while the draft was never sent. */
  readonly submissionId?: string;
  readonly answers: FormAnswers;
  /** Extra fields a form keeps with its answers (e.g. a referral note). */
  readonly extra: Readonly<Record<string, string>>;
  /**
   * When the first save was sent (ISO dateTime with the local offset). From then on the answers
   * are locked: the EHR may already hold them, and a retry must send exactly the same record.
   */
  readonly sentAt?: string;
}

/** A draft as its save sends it: with its submission id and time. */
export type SentDraft = Draft & { readonly submissionId: string; readonly sentAt: string };

const key = (form: string, patientId: string): string => `clbp-pathway:draft:${form}:${patientId}`;

export function loadDraft(
  form: string,
  patientId: string,
  storage: Storage = sessionStorage,
): Draft | undefined {
  const raw = storage.getItem(key(form, patientId));
  if (raw === null) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    const submissionId = parsed['submissionId'];
    const extraRaw = parsed['extra'];
    const extra: Record<string, string> = {};
    if (typeof extraRaw === 'object' && extraRaw !== null) {
      for (const [k, v] of Object.entries(extraRaw)) {
        if (typeof v === 'string') {
          extra[k] = v;
        }
      }
    }
    const sentAt = parsed['sentAt'];
    const sent = typeof submissionId === 'string' && typeof sentAt === 'string';
    const draftId = parsed['draftId'];
    return {
      // A draft stored before drafts had their own id was keyed by its submission id.
      draftId:
        typeof draftId === 'string'
          ? draftId
          : typeof submissionId === 'string'
            ? submissionId
            : crypto.randomUUID(),
      answers: parseFormAnswers(parsed['answers']),
      extra,
      ...(sent ? { submissionId, sentAt } : {}),
    };
  } catch {
    // A draft that cannot be read is no draft; the form starts empty rather than failing.
    return undefined;
  }
}

export function storeDraft(
  form: string,
  patientId: string,
  draft: Draft,
  storage: Storage = sessionStorage,
): void {
  storage.setItem(key(form, patientId), JSON.stringify(draft));
}

export function clearDraft(
  form: string,
  patientId: string,
  storage: Storage = sessionStorage,
): void {
  storage.removeItem(key(form, patientId));
}

export function newDraft(): Draft {
  return { draftId: crypto.randomUUID(), answers: {}, extra: {} };
}

/** The draft as sent: its submission id and send time, drawn now on the first send. */
export function sending(draft: Draft, now: string): SentDraft {
  return {
    ...draft,
    submissionId: draft.submissionId ?? crypto.randomUUID(),
    sentAt: draft.sentAt ?? now,
  };
}

/** The answers of a draft whose submission the EHR holds with other answers: unsent again. */
export function unsent(draft: Draft): Draft {
  return { draftId: draft.draftId, answers: draft.answers, extra: draft.extra };
}
