/**
 * The referral to the mindfulness group medical visit programme (OPTIMUM model, NCT04129450; the
 * referral pattern of clinical.md, after the BSeR and SDOH referral guides).
 */
import { addWeeks } from 'date-fns';

/** SNOMED CT 3457005 "Patient referral" (clinical.md, Codes). */
export const REFERRAL_CATEGORY = {
  system: 'http://snomed.info/sct',
  code: '3457005',
  display: 'Patient referral',
};

/** ServiceRequest.code.text: the service in words, for any EHR that does not know our CodeSystem. */
export const REFERRAL_SERVICE_TEXT =
  'Mindfulness group medical visits for chronic low back pain — 8 weekly telehealth sessions';

/** OPTIMUM: 8 weekly group sessions (clinical.md). */
export const PROGRAMME_WEEKS = 8;

/** Task statuses as the Referral section names them (clinical.md: requested → … → completed). */
export const TASK_STATUS_TEXT: Readonly<Record<string, string>> = {
  requested: 'Requested',
  received: 'Received by the programme',
  accepted: 'Accepted',
  'in-progress': 'In progress',
  completed: 'Completed',
  rejected: 'Declined by the programme',
  cancelled: 'Cancelled',
  'on-hold': 'On hold',
  failed: 'Failed',
  'entered-in-error': 'Entered in error',
};

/** The programme's 8-week window from a start day ('YYYY-MM-DD'). */
export function programmeWindow(start: string): { start: string; end: string } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (!match) {
    return undefined;
  }
  const day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(day.getTime()) || day.getDate() !== Number(match[3])) {
    return undefined;
  }
  const end = addWeeks(day, PROGRAMME_WEEKS);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return { start, end: `${end.getFullYear()}-${pad(end.getMonth() + 1)}-${pad(end.getDate())}` };
}
