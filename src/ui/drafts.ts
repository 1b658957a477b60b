/**
 * Drafts of forms, kept in this tab's session storage (keyed by form and patient) until the EHR
 * confirms the save: a failed save, an expired session or a reload loses nothing. Each draft carries
 * the submission id its save uses, so a retry can never create a second record.
 */
import { parseFormAnswers, type FormAnswers } from '../fhir/questionnaireAnswers.ts';

export interface Draft {
  readonly submissionId: string;
  readonly answers: FormAnswers;
  /** Extra fields a form keeps with its answers (e.g. a referral note). */
  readonly extra: Readonly<Record<string, string>>;
  /**
   * When the first save was sent (ISO dateTime with the local offset). From then on the answers
   * are locked: the EHR may already hold them, and a retry must send exactly the same record.
   */
  readonly sentAt?: string;
}

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
    if (typeof submissionId !== 'string') {
      return undefined;
    }
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
    return {
      submissionId,
      answers: parseFormAnswers(parsed['answers']),
      extra,
      ...(typeof sentAt === 'string' ? { sentAt } : {}),
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
  return { submissionId: crypto.randomUUID(), answers: {}, extra: {} };
}
