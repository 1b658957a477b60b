import { subDays } from 'date-fns/subDays';
import type { MmeSummary } from '../../domain/mme/mme.ts';
import { NLM_ATTRIBUTION } from '../../domain/mme/nlmAttribution.ts';
import { CDC_2022_MME_REFERENCE_LEVELS, MME_CHART_DAYS } from '../../domain/mme/referenceLevels.ts';
import { chartTime } from '../chart/chartTime.ts';
import { TrendChart } from '../chart/TrendChart.tsx';
import { Disclosure } from '../Disclosure.tsx';
import { DoseContext } from '../opioids/DoseContext.tsx';
import { MedicationTable } from '../opioids/MedicationTable.tsx';
import type { OpioidView } from '../opioids/opioidView.ts';
import { localDayOf } from '../../domain/fhir-primitives/dates.ts';
import { loaded, type SectionProps } from './sectionProps.ts';

const fmt = (n: number): string => (Math.round(n * 10) / 10).toString();

function change(label: string, c: MmeSummary['change90d']) {
  const sign = c.difference > 0 ? '+' : '';
  const percent = c.percent === null ? '' : ` (${sign}${fmt(c.percent)}%)`;
  return `${label}: ${sign}${fmt(c.difference)} MME/day${percent}`;
}

/** The opioid section over its view, computed off the main thread (useOpioidView.ts). */
export function OpioidSection({ state, asOf, view }: SectionProps & { readonly view: OpioidView }) {
  const conditions = loaded(state, 'conditions');
  const { series, summary, risk, recent, earlier } = view;
  if (recent.length === 0 && earlier.length === 0) {
    return (
      <p className="empty">
        No opioid on record
        {view.otherRecords > 0 ? ` (${view.otherRecords} other medication records checked)` : ''}.
      </p>
    );
  }
  const from = chartTime(series[0]?.date ?? localDayOf(subDays(asOf, MME_CHART_DAYS)));
  return (
    <>
      <p data-testid="mme-current">
        Current total: <strong>{fmt(summary.current)} MME/day</strong>. Highest in 12 months:{' '}
        {fmt(summary.highest.mmePerDay)} MME/day. Change over {change('90 days', summary.change90d)}
        ; over {change('12 months', summary.change12m)}.
      </p>
      {summary.notInTotal.count > 0 && (
        <div className="notice" data-testid="mme-not-in-total">
          <p>
            {summary.notInTotal.count} active opioid record
            {summary.notInTotal.count === 1 ? ' is' : 's are'} not in the total:
          </p>
          <ul>
            {summary.notInTotal.records.map((r) => (
              <li key={`${r.resourceType}/${r.id}`}>
                {r.label}: {r.explanation}
              </li>
            ))}
          </ul>
        </div>
      )}
      {conditions === undefined && (
        <p className="notice" data-testid="mme-no-conditions">
          The problem list could not be read: methadone or buprenorphine given for opioid use
          disorder cannot be recognised, and is counted if it has a factor.
        </p>
      )}
      <DoseContext summary={summary} risk={risk} />
      <TrendChart
        title={`Total MME/day over ${MME_CHART_DAYS / 365} years; now ${fmt(summary.current)}`}
        yLabel="MME/day"
        yMax={Math.max(100, ...series.map((p) => p.mmePerDay)) * 1.1}
        from={from}
        to={asOf.getTime()}
        step
        lines={CDC_2022_MME_REFERENCE_LEVELS.map((l) => ({ value: l.mmePerDay, label: l.label }))}
        points={series.map((p) => ({
          t: chartTime(p.date),
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
        <Disclosure summary={`Earlier opioid records (${String(earlier.length)})`}>
          {() => (
            <MedicationTable
              testId="mme-table-earlier"
              caption="Opioid records that ended more than 12 months ago"
              rows={earlier}
            />
          )}
        </Disclosure>
      )}
      <p className="chart-note">
        Factors: CDC 2022. Drug data: {NLM_ATTRIBUTION} Benzodiazepine, naloxone and opioid use
        disorder codes: CDC opioid guideline value sets (CC0).
      </p>
    </>
  );
}
