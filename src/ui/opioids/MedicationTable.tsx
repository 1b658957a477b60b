import type { MedicationMmeResult } from '../../domain/mme/mme.ts';
import { METHADONE_CAUTION } from '../../domain/mme/guidelineWords.ts';
import { isMethadone } from './opioidView.ts';

const STATUS_TEXT: Record<MedicationMmeResult['kind'], string> = {
  counted: 'Counted',
  excluded: 'Not counted',
  unknown: 'Cannot compute',
};

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

/** Each opioid record, whether it is in the total and how its MME/day was computed. */
export function MedicationTable(props: {
  testId: string;
  caption: string;
  rows: readonly MedicationMmeResult[];
}) {
  return (
    <div className="table-scroll">
      <table data-testid={props.testId}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Medication</th>
            <th scope="col">Record</th>
            <th scope="col">Active</th>
            <th scope="col">Status</th>
            <th scope="col">MME/day</th>
            <th scope="col">How</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr
              key={`${r.resourceType}/${r.id}`}
              data-kind={r.kind}
              data-reason={r.reason ?? ''}
              data-record={`${r.resourceType}/${r.id}`}
            >
              <td>{r.label}</td>
              <td>{r.resourceType}</td>
              <td>
                {r.interval.start ?? '?'} – {r.interval.end ?? 'ongoing'}
              </td>
              <td>{STATUS_TEXT[r.kind]}</td>
              <td>{r.mmePerDay === null ? '—' : fmt(r.mmePerDay)}</td>
              <td>
                {r.explanation}
                {isMethadone(r) && (
                  <p className="caution" data-testid="methadone-caution">
                    CDC: “{METHADONE_CAUTION.text}” ({METHADONE_CAUTION.source})
                  </p>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
