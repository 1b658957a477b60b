import { lazy, Suspense } from 'react';
import type { PegAdministration } from '../../domain/peg/peg.ts';
import { changeFromBaseline, selectBaseline } from '../../domain/peg/history.ts';
import { TrendChart, type Marker } from '../chart/TrendChart.tsx';
import { Disclosure } from '../Disclosure.tsx';
import type { SectionProps } from './sectionProps.ts';

// The form loads when the clinician opens it (a saved draft opens it at once).
const PegForm = lazy(() => import('../peg/PegForm.tsx').then((m) => ({ default: m.PegForm })));

const DAY_MS = 86_400_000;

function ChangeSummary({
  baseline,
  latest,
}: {
  baseline: PegAdministration;
  latest: PegAdministration;
}) {
  const change = changeFromBaseline(baseline, latest);
  if (change.kind !== 'change') {
    return <p>{change.reason}</p>;
  }
  const percent =
    change.percent.kind === 'percent'
      ? `${change.percent.value > 0 ? '+' : ''}${change.percent.value.toFixed(0)}%`
      : 'no % (baseline 0)';
  return (
    <p data-testid="peg-change">
      Change from baseline:{' '}
      <strong>
        {change.points > 0 ? '+' : ''}
        {change.points.toFixed(2)} points
      </strong>{' '}
      ({percent}). {change.reachesMcid ? 'Reaches' : 'Does not reach'} the 1-point MCID;{' '}
      {change.reaches30Percent ? 'reaches' : 'does not reach'} a 30% improvement.
    </p>
  );
}

/** How many PEGs the history table shows before the rest go behind a disclosure. */
const RECENT_PEGS = 12;

function PegTable(props: {
  testId: string;
  caption: string;
  rows: readonly PegAdministration[];
  baseline: PegAdministration | undefined;
}) {
  return (
    <table data-testid={props.testId}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">P</th>
          <th scope="col">E</th>
          <th scope="col">G</th>
          <th scope="col">Score</th>
          <th scope="col">Recorded as</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((a) => (
          <tr key={a.keys[0] ?? a.date} data-baseline={a === props.baseline ? 'true' : undefined}>
            <td>
              {a.date.slice(0, 10)}
              {a === props.baseline && ' (baseline)'}
            </td>
            <td>{a.items?.pain ?? '—'}</td>
            <td>{a.items?.enjoyment ?? '—'}</td>
            <td>{a.items?.activity ?? '—'}</td>
            <td>{a.score.toFixed(2)}</td>
            <td>{a.sources.map((s) => s.split('/')[0]).join(' + ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface PegSectionProps extends SectionProps {
  readonly formOpen: boolean;
  readonly setFormOpen: (open: boolean) => void;
}

export function PegSection(props: PegSectionProps) {
  const {
    asOf,
    session,
    reload,
    missingWrite,
    formOpen,
    setFormOpen,
    peg: records,
    followUp,
  } = props;
  // Without a referral the first PEG is the baseline (pegHistory.selectBaseline).
  const baselineChoice = selectBaseline(records.history);
  const baseline = followUp.baselineWaits
    ? undefined
    : (followUp.baseline ??
      (baselineChoice.kind === 'baseline' ? baselineChoice.administration : undefined));
  const { olderPegs } = followUp;
  const latest = records.history.at(-1);
  const recent = records.history.slice(-RECENT_PEGS);
  const earlier = records.history.slice(0, -RECENT_PEGS);
  const markers: Marker[] =
    followUp.schedule?.kind === 'schedule'
      ? followUp.schedule.points.map((p) => ({ t: Date.parse(p.dueDate), label: p.label }))
      : [];
  const times = records.history.map((a) => Date.parse(a.date));
  const from = Math.min(...times, ...markers.map((m) => m.t), asOf.getTime() - 30 * DAY_MS);
  const to = Math.max(asOf.getTime(), ...markers.map((m) => m.t));

  return (
    <>
      {records.history.length === 0 ? (
        <p className="empty">No PEG on record.</p>
      ) : (
        <>
          {baseline && latest && latest !== baseline && (
            <ChangeSummary baseline={baseline} latest={latest} />
          )}
          {followUp.baselineWaits && (
            <p
              className={olderPegs?.loading === true ? 'loading' : 'notice'}
              data-testid="peg-change"
            >
              Change from baseline: not shown yet, the baseline may be one of the older PEGs
              {olderPegs?.loading === true ? ' still loading.' : ' that could not be loaded.'}
            </p>
          )}
          <TrendChart
            title={`PEG score over time, ${records.history.length} administrations`}
            yLabel="PEG 0–10"
            yMax={10}
            from={from}
            to={to}
            markers={markers}
            points={records.history.map((a) => ({
              t: Date.parse(a.date),
              value: a.score,
              label: `${a.date.slice(0, 10)}: ${a.score.toFixed(2)}${a === baseline ? ' (baseline)' : ''}`,
              highlight: a === baseline,
            }))}
          />
          <PegTable
            testId="peg-history"
            caption={`The ${recent.length} most recent PEGs (P = pain, E = enjoyment of life, G = general activity)`}
            rows={recent}
            baseline={baseline}
          />
          {(earlier.length > 0 || olderPegs !== undefined) && (
            <Disclosure
              history={olderPegs?.loading === true ? 'loading' : 'complete'}
              summary={`Earlier PEGs (${String(earlier.length)}${
                olderPegs === undefined
                  ? ''
                  : olderPegs.loading
                    ? ' so far; older PEGs are still loading'
                    : ' so far; older PEGs could not be loaded'
              })`}
            >
              {() => (
                <PegTable
                  testId="peg-history-earlier"
                  caption="Earlier PEGs"
                  rows={earlier}
                  baseline={baseline}
                />
              )}
            </Disclosure>
          )}
        </>
      )}
      {records.unreadable.length > 0 && (
        <p className="notice">
          {records.unreadable.length} PEG record(s) could not be read:{' '}
          {records.unreadable.map((u) => `${u.reference} (${u.reason})`).join('; ')}.
        </p>
      )}
      {missingWrite.length > 0 ? (
        <p className="notice">
          Recording a PEG is off: the EHR did not grant {missingWrite.join(', ')}.
        </p>
      ) : formOpen ? (
        <Suspense fallback={<p className="loading">Loading the form…</p>}>
          <PegForm
            session={session}
            now={() => new Date()}
            onSaved={() => {
              reload(['questionnaireResponses', 'pegObservations']);
            }}
          />
        </Suspense>
      ) : (
        <button
          type="button"
          onClick={() => {
            setFormOpen(true);
          }}
        >
          Record a PEG
        </button>
      )}
    </>
  );
}
