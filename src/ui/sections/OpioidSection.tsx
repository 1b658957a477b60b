import { useMemo } from 'react';
import { format } from 'date-fns/format';
import { subDays } from 'date-fns/subDays';
import {
  computeMedicationMme,
  reconcileMme,
  medicationResolver,
  NLM_ATTRIBUTION,
  mmeTimeline,
  summariseMme,
  type MedicationMmeResult,
  type MmeSummary,
} from '../../domain/mme/mme.ts';
import { CDC_2022_MME_REFERENCE_LEVELS, MME_CHART_DAYS } from '../../domain/mme/referenceLevels.ts';
import { TrendChart } from '../chart/TrendChart.tsx';
import { loaded, type SectionProps } from './sectionProps.ts';

/** The clinic's calendar day (local), the day MME totals are for. */
const isoDay = (d: Date): string => format(d, 'yyyy-MM-dd');
const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

const STATUS_TEXT: Record<MedicationMmeResult['kind'], string> = {
  counted: 'Counted',
  excluded: 'Not counted',
  unknown: 'Cannot compute',
};

function change(label: string, c: MmeSummary['change90d']) {
  const sign = c.difference > 0 ? '+' : '';
  const percent = c.percent === null ? '' : ` (${sign}${fmt(c.percent)}%)`;
  return `${label}: ${sign}${fmt(c.difference)} MME/day${percent}`;
}

function taperText(taper: MmeSummary['taper']): string {
  switch (taper.kind) {
    case 'no-opioids':
      return 'No counted opioid in the last 12 months.';
    case 'stopped':
      return `Stopped: last opioid day ${taper.lastDay} at ${fmt(taper.lastMmePerDay)} MME/day.`;
    case 'tapering':
      return 'Tapering: a sustained decrease of at least 10% a month.';
    case 'not-tapering':
      return 'Not tapering (no sustained decrease of at least 10% a month).';
  }
}

function MedicationTable(props: {
  testId: string;
  caption: string;
  rows: readonly MedicationMmeResult[];
}) {
  return (
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
          <tr key={`${r.resourceType}/${r.id}`} data-kind={r.kind}>
            <td>{r.label}</td>
            <td>{r.resourceType}</td>
            <td>
              {r.interval.start ?? '?'} – {r.interval.end ?? 'ongoing'}
            </td>
            <td>{STATUS_TEXT[r.kind]}</td>
            <td>{r.mmePerDay === null ? '—' : fmt(r.mmePerDay)}</td>
            <td>{r.explanation}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OpioidSection({ state, asOf }: SectionProps) {
  const statements = loaded(state, 'medicationStatements');
  const requests = loaded(state, 'medicationRequests');
  const computed = useMemo(() => {
    const records = [...(statements?.matches ?? []), ...(requests?.matches ?? [])];
    const included = [
      ...(statements?.included.values() ?? []),
      ...(requests?.included.values() ?? []),
    ];
    const resolve = medicationResolver(included);
    // Reconciled: statements of an order and renewed orders are marked, so the table matches the total.
    const results = reconcileMme(records.map((r) => computeMedicationMme(r, resolve)));
    const day = isoDay(asOf);
    const series = mmeTimeline(results, {
      from: isoDay(subDays(asOf, MME_CHART_DAYS)),
      to: day,
      asOf: day,
    });
    return { results, series, summary: summariseMme(results, { asOf: day }) };
  }, [statements, requests, asOf]);

  const { results, series, summary } = computed;
  const relevant = results
    .filter((r) => r.reason !== 'not-an-opioid')
    .sort((a, b) => (b.interval.start ?? '').localeCompare(a.interval.start ?? ''));
  // A long history stays one click away: the clinician sees what the patient takes now first.
  const yearAgo = isoDay(subDays(asOf, 365));
  const recent = relevant.filter((r) => r.interval.end === null || r.interval.end >= yearAgo);
  const earlier = relevant.filter((r) => !recent.includes(r));
  if (relevant.length === 0) {
    return (
      <p className="empty">
        No opioid on record
        {results.length > 0 ? ` (${results.length} other medication records checked)` : ''}.
      </p>
    );
  }
  const from = Date.parse(series[0]?.date ?? isoDay(subDays(asOf, MME_CHART_DAYS)));
  return (
    <>
      <p data-testid="mme-current">
        Current total: <strong>{fmt(summary.current)} MME/day</strong>. Highest in 12 months:{' '}
        {fmt(summary.highest.mmePerDay)} MME/day. {change('90 days', summary.change90d)};{' '}
        {change('12 months', summary.change12m)}.
      </p>
      {summary.notComputed.count > 0 && (
        <p className="notice" data-testid="mme-not-computed">
          {summary.notComputed.count} active opioid record(s) could not be computed and are not in
          the total: {summary.notComputed.records.map((r) => r.label).join('; ')}. See the table
          below for why.
        </p>
      )}
      <p data-testid="mme-taper">{taperText(summary.taper)}</p>
      <TrendChart
        title={`Total MME/day over ${MME_CHART_DAYS / 365} years; now ${fmt(summary.current)}`}
        yLabel="MME/day"
        yMax={Math.max(100, ...series.map((p) => p.mmePerDay)) * 1.1}
        from={from}
        to={asOf.getTime()}
        step
        lines={CDC_2022_MME_REFERENCE_LEVELS.map((l) => ({ value: l.mmePerDay, label: l.label }))}
        points={series.map((p) => ({
          t: Date.parse(p.date),
          value: p.mmePerDay,
          label: `${p.date}: ${fmt(p.mmePerDay)}`,
        }))}
      />
      <p className="chart-note">
        The 50 and 90 MME/day lines are information from the CDC 2022 guideline, not limits or taper
        triggers.
      </p>
      <MedicationTable
        testId="mme-table"
        caption="Opioid records active in the last 12 months and how each MME/day was computed"
        rows={recent}
      />
      {earlier.length > 0 && (
        <details>
          <summary>Earlier opioid records ({earlier.length})</summary>
          <MedicationTable
            testId="mme-table-earlier"
            caption="Opioid records that ended more than 12 months ago"
            rows={earlier}
          />
        </details>
      )}
      <p className="chart-note">Factors: CDC 2022. Drug data: {NLM_ATTRIBUTION}</p>
    </>
  );
}
