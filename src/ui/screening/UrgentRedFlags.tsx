import { formatISO } from 'date-fns/formatISO';
import { useCallback, useEffect, useRef, useState } from 'react';
import { RED_FLAG_RULES } from '../../domain/screening/eligibilityConfig.ts';
import { RED_FLAGS, type RedFlag } from '../../domain/screening/screening.ts';
import { nextStep, normalizeError, type FhirError } from '../../fhir/errors.ts';
import type { FormAnswers } from '../../fhir/questionnaireAnswers.ts';
import { writeContext, type Session } from '../../fhir/session.ts';
import type { WrittenResource } from '../../fhir/transaction.ts';
import { saveUrgentRedFlag } from '../../fhir/urgentRedFlagWrite.ts';

/** Red flags that must be acted on at once: cauda equina signs and a progressive deficit. */
const URGENT_FLAGS: readonly RedFlag[] = RED_FLAGS.filter(
  (flag) => RED_FLAG_RULES[flag.key].urgency !== 'evaluate',
);

type RecordState =
  | { readonly status: 'saving' }
  | { readonly status: 'saved'; readonly written: readonly WrittenResource[] }
  | { readonly status: 'failed'; readonly error: FhirError };

interface UrgentRedFlagsProps {
  readonly session: Session;
  /** The screening draft's id (Draft.draftId): each flag's record is keyed on it (no duplicates). */
  readonly draftSubmissionId: string;
  readonly answers: FormAnswers;
  readonly now: () => Date;
}

const isYes = (answers: FormAnswers, flag: RedFlag): boolean => {
  const answer = answers[flag.linkId];
  return answer?.kind === 'boolean' && answer.value;
};

/**
 * Shown inside the screening form the moment an urgent red flag is answered "yes", before the
 * form is complete: an alert screen readers announce (role=alert), and the record of it written
 * to the chart at once (urgentRedFlagWrite.ts), with its outcome and a retry.
 */
export function UrgentRedFlags({ session, draftSubmissionId, answers, now }: UrgentRedFlagsProps) {
  const [records, setRecords] = useState<Readonly<Record<string, RecordState>>>({});
  const started = useRef(new Set<string>());
  const urgent = URGENT_FLAGS.filter((flag) => isYes(answers, flag));

  // Writes one flag's record; the state changes only when the EHR answers (no record yet = saving).
  const send = useCallback(
    (flag: RedFlag) => {
      started.current.add(`${draftSubmissionId}|${flag.linkId}`);
      saveUrgentRedFlag(session.transport, {
        draftSubmissionId,
        context: writeContext(session),
        authored: formatISO(now()),
        flag,
      }).then(
        (written) => {
          setRecords((r) => ({ ...r, [flag.linkId]: { status: 'saved', written } }));
        },
        (error: unknown) => {
          setRecords((r) => ({
            ...r,
            [flag.linkId]: { status: 'failed', error: normalizeError(error) },
          }));
        },
      );
    },
    [session, draftSubmissionId, now],
  );

  // A "yes" (answered now, or restored with the draft after a reload) is recorded at once.
  const answeredYes = urgent.map((flag) => flag.linkId).join(',');
  useEffect(() => {
    for (const flag of URGENT_FLAGS) {
      const key = `${draftSubmissionId}|${flag.linkId}`;
      if (answeredYes.split(',').includes(flag.linkId) && !started.current.has(key)) {
        send(flag);
      }
    }
  }, [answeredYes, draftSubmissionId, send]);

  const retry = (flag: RedFlag): void => {
    setRecords((r) => ({ ...r, [flag.linkId]: { status: 'saving' } }));
    send(flag);
  };

  const withdrawn = URGENT_FLAGS.filter(
    (flag) => records[flag.linkId]?.status === 'saved' && !isYes(answers, flag),
  );
  if (urgent.length === 0 && withdrawn.length === 0) {
    return null;
  }
  const emergency = urgent.some((flag) => RED_FLAG_RULES[flag.key].urgency === 'emergency');
  const names = urgent.map((flag) => flag.text.toLowerCase()).join(', ');
  return (
    <>
      {urgent.length > 0 && (
        <div role="alert" className="urgent urgent-sticky" data-testid="urgent-alert">
          {emergency
            ? `Emergency: possible cauda equina syndrome (${names}). Arrange same-day emergency evaluation. Do not refer to the group programme.`
            : `Urgent: ${names}. Urgent clinician evaluation. Do not refer to the group programme before it.`}
        </div>
      )}
      <ul className="urgent-records" aria-live="polite" data-testid="urgent-records">
        {urgent.map((flag) => {
          const record = records[flag.linkId];
          return (
            <li key={flag.linkId} data-status={record?.status ?? 'saving'}>
              {record === undefined || record.status === 'saving' ? (
                `${flag.text}: saving the record to the chart…`
              ) : record.status === 'saved' ? (
                <span title={record.written.map((w) => `${w.resourceType}/${w.id}`).join(', ')}>
                  {flag.text}: recorded in the chart (a screening response and a finding Observation
                  the EHR shows).
                </span>
              ) : (
                <>
                  {flag.text}: not recorded in the chart. {record.error.message}{' '}
                  {nextStep(record.error.kind)}{' '}
                  <button
                    type="button"
                    onClick={() => {
                      retry(flag);
                    }}
                  >
                    Retry recording it
                  </button>
                </>
              )}
            </li>
          );
        })}
        {withdrawn.map((flag) => (
          <li key={flag.linkId} data-status="withdrawn">
            {flag.text} is now answered “no”, but the urgent record saved for it stays in the chart:
            if it was a mistake, mark it entered in error in the EHR.
          </li>
        ))}
      </ul>
    </>
  );
}
