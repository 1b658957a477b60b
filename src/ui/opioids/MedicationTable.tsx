import type { MedicationMmeResult } from '../../domain/mme/mme.ts';
import { METHADONE_CAUTION } from '../../domain/mme/guidelineWords.ts';
import type { MedicationRow } from './opioidView.ts';

const STATUS_TEXT: Record<MedicationMmeResult['kind'], string> = {
  counted: 'Counted',
  excluded: 'Not counted',
  unknown: 'Cannot compute',
};

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

const recordOf = (r: MedicationMmeResult): string => `${r.resourceType}/${r.id}`;

/** "MedicationRequest", or "12 MedicationRequests" for a run of refills shown as one row. */
function recordText(row: MedicationRow): string {
  const type = row.result.resourceType;
  return row.records.length === 1 ? type : `${String(row.records.length)} ${type}s`;
}

/**
 * Each opioid record (a run of refills of one product at one dose as one row), whether it is in
 * the total and how its MME/day was computed.
 */
export function MedicationTable(props: {
  testId: string;
  caption: string;
  rows: readonly MedicationRow[];
}) {
  return (
    <div className="table-scroll">
      <table className="reflow" data-testid={props.testId}>
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
          {props.rows.map((row) => {
            const r = row.result;
            return (
              <tr
                key={recordOf(r)}
                data-kind={r.kind}
                data-reason={r.reason ?? ''}
                data-records={row.records.map(recordOf).join(' ')}
              >
                <td data-label="Medication">{r.label}</td>
                <td data-label="Record">{recordText(row)}</td>
                <td data-label="Active">
                  {row.start ?? '?'} – {row.end ?? 'ongoing'}
                </td>
                <td data-label="Status">{STATUS_TEXT[r.kind]}</td>
                <td data-label="MME/day">{r.mmePerDay === null ? '—' : fmt(r.mmePerDay)}</td>
                <td data-label="How">
                  {r.explanation}
                  {row.methadone && (
                    <p className="caution" data-testid="methadone-caution">
                      CDC: “{METHADONE_CAUTION.text}” ({METHADONE_CAUTION.source})
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
