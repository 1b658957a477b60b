import type { CheckIn } from '../../domain/pathway/checkIns.ts';
import { longDay } from './words.ts';

interface CheckInCardProps {
  readonly checkIn: CheckIn;
  readonly onStart: (checkIn: CheckIn) => void;
  /** The answer button's ref (it takes focus back when the patient closes the form). */
  readonly buttonRef?: (button: HTMLButtonElement | null) => void;
}

/** One check-in asked of the patient, with one large button to answer it. */
export function CheckInCard({ checkIn, onStart, buttonRef }: CheckInCardProps) {
  const headingId = `check-in-${checkIn.key.replace(/[^A-Za-z0-9-]/g, '-')}`;
  return (
    <li className="check-in-card" aria-labelledby={headingId} data-time-point={checkIn.timePoint}>
      <h3 id={headingId}>{checkIn.title} due</h3>
      <p>Three questions about your pain in the past week. It takes about a minute.</p>
      {checkIn.dueBy !== undefined &&
        (checkIn.status === 'due' ? (
          <p>Please answer by {longDay(checkIn.dueBy)}.</p>
        ) : (
          <p>It was due by {longDay(checkIn.dueBy)}. Your answers still help.</p>
        ))}
      <button
        type="button"
        ref={buttonRef}
        className="big"
        onClick={() => {
          onStart(checkIn);
        }}
      >
        Answer the {checkIn.title}
      </button>
    </li>
  );
}
