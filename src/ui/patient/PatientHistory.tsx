import { chartTime } from '../chart/chartTime.ts';
import { TrendChart } from '../chart/TrendChart.tsx';
import { calendarDayOf } from '../../domain/fhir-primitives/dates.ts';
import { longDay } from './words.ts';

interface PatientHistoryProps {
  readonly history: readonly { readonly date: string; readonly score: number }[];
}

const DAY_MS = 86_400_000;

/** The patient's own PEG scores: a simple chart and, as its text alternative, a table. */
export function PatientHistory({ history }: PatientHistoryProps) {
  if (history.length === 0) {
    return <p className="empty">You have not answered the pain questions yet.</p>;
  }
  const times = history.map((h) => chartTime(h.date));
  const from = Math.min(...times) - 7 * DAY_MS;
  const to = Math.max(...times) + 7 * DAY_MS;
  const rows = [...history].reverse();
  return (
    <>
      <p className="hint">
        Your score is the average of your three answers, from 0 (no pain) to 10 (the worst).
      </p>
      <TrendChart
        title={`Your pain score over time, ${String(history.length)} answers`}
        yLabel="Score 0–10"
        dayLabel={longDay}
        yMax={10}
        from={from}
        to={to}
        points={history.map((h) => ({
          t: chartTime(h.date),
          value: h.score,
          label: `${longDay(calendarDayOf(h.date) ?? h.date)}: ${h.score.toFixed(2)}`,
        }))}
      />
      <table className="patient-history" data-testid="patient-history">
        <caption className="visually-hidden">Your answers, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Score</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((h) => (
            <tr key={h.date}>
              <td>{longDay(calendarDayOf(h.date) ?? h.date)}</td>
              <td>{h.score.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
