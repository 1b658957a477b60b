import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { PEG_REPORTER_TEXT, type PegAdministration } from '../../domain/peg/peg.ts';
import { changeFromBaseline } from '../../domain/peg/change.ts';
import { pegChangeText } from '../../domain/pathway/glance.ts';
import { chartTime } from '../chart/chartTime.ts';
import { TrendChart, type Marker } from '../chart/TrendChart.tsx';
import { Disclosure } from '../Disclosure.tsx';
import { loadDraft } from '../drafts.ts';
import type { SavedPegScore } from '../peg/PegForm.tsx';
import type { Forms } from '../useForms.ts';
import { olderMissing, type SectionProps } from './sectionProps.ts';

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
  return (
    <p data-testid="peg-change" data-direction={change.direction}>
      Change from baseline ({baseline.score.toFixed(2)} on {baseline.date.slice(0, 10)}):{' '}
      <strong>{pegChangeText(change)}</strong>.{' '}
      {change.direction === 'better' && !change.reachesMcid && 'Does not reach the 1-point MCID.'}
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
          <th scope="col">Entered</th>
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
            <td data-reported-by={a.reportedBy}>
              {a.reportedBy === undefined ? '—' : PEG_REPORTER_TEXT[a.reportedBy]}
            </td>
            <td>{a.sources.map((s) => s.split('/')[0]).join(' + ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface PegSectionProps extends SectionProps {
  readonly forms: Forms;
}

/** The PEG just saved, in view with focus on it once the form has closed. */
function SavedConfirmation({ label, saved }: { label: string; saved: SavedPegScore }) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'center' });
    ref.current?.focus();
  }, [saved]);
  const { pain, enjoyment, activity } = saved.items;
  return (
    <p role="status" className="saved" data-testid="peg-saved" tabIndex={-1} ref={ref}>
      {label} saved: score <strong>{saved.score.toFixed(2)}</strong> (P {pain}, E {enjoyment}, G{' '}
      {activity}).
    </p>
  );
}

export function PegSection(props: PegSectionProps) {
  const { asOf, session, reload, missingWrite, forms, pathway, state } = props;
  const formOpen = forms.open.peg;
  const [saved, setSaved] = useState<{ label: string; saved: SavedPegScore }>();
  const action = pathway.nextAction;
  // A follow-up PEG that is due is what the form records: it says which one.
  const label =
    action.kind === 'record-follow-up-peg' ? `${action.point.label} follow-up PEG` : 'Record a PEG';
  const records = pathway.peg.records;
  const baseline =
    pathway.peg.baseline?.kind === 'baseline' ? pathway.peg.baseline.administration : undefined;
  const latest = pathway.peg.latest;
  const olderPegs = olderMissing([state.questionnaireResponses, state.pegObservations]);
  const recent = records.history.slice(-RECENT_PEGS);
  const earlier = records.history.slice(0, -RECENT_PEGS);
  const markers: Marker[] = (pathway.followUps?.points ?? []).map((p) => ({
    t: chartTime(p.dueDate),
    label: p.label,
  }));
  const times = records.history.map((a) => chartTime(a.date));
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
          {pathway.peg.baselineWaits && (
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
              t: chartTime(a.date),
              value: a.score,
              label: `${a.date.slice(0, 10)}: ${a.score.toFixed(2)}${a === baseline ? ' (baseline)' : ''}`,
              highlight: a === baseline,
            }))}
          />
          <PegTable
            testId="peg-history"
            caption={`${
              recent.length === 1 ? 'The most recent PEG' : `The ${recent.length} most recent PEGs`
            } (P = pain, E = enjoyment of life, G = general activity)`}
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
      {props.readOnly ? null : missingWrite.length > 0 ? (
        <p className="notice">
          Recording a PEG is off: the EHR did not grant {missingWrite.join(', ')}.
        </p>
      ) : formOpen ? (
        <Suspense fallback={<p className="loading">Loading the form…</p>}>
          <PegForm
            session={session}
            now={() => new Date()}
            label={label}
            focusOnOpen={forms.focus === 'peg'}
            onSaved={(result) => {
              setSaved({ label: label === 'Record a PEG' ? 'PEG' : label, saved: result });
              forms.setOpen('peg', false);
              reload(['questionnaireResponses', 'pegObservations']);
            }}
            onCancel={() => {
              forms.setOpen('peg', false);
            }}
          />
        </Suspense>
      ) : (
        <>
          {saved !== undefined && <SavedConfirmation label={saved.label} saved={saved.saved} />}
          <button
            type="button"
            ref={forms.opener('peg')}
            onClick={() => {
              setSaved(undefined);
              forms.setOpen('peg', true);
            }}
          >
            {loadDraft('peg', session.patientId) === undefined
              ? label
              : `Resume the draft: ${label}`}
          </button>
        </>
      )}
    </>
  );
}
