import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Resource } from 'fhir/r4';
import type { PathwayChart } from '../../domain/pathway/chart.ts';
import type { Pathway } from '../../domain/pathway/evaluate.ts';
import type { ProgrammeAudit } from '../../domain/outcomes/programmeAudit.ts';
import type { ArmAtTimePoint } from '../../domain/outcomes/outcomeTable.ts';
import { loadCohorts } from '../../fhir/programmeCohorts.ts';
import type { StaffViewProps } from './QueueView.tsx';
import { RequestError } from './RequestError.tsx';
import { usePatientPathways } from './usePatientPathways.ts';
import { useLoad } from './useLoad.ts';

/** The outcome code (PEG readers, the MME engine, statistics) loads with this view only. */
const auditModule = () => import('../../domain/outcomes/programmeAudit.ts');

interface Audited {
  readonly label: string;
  readonly audit: ProgrammeAudit;
}

/** A chart's own resources, and the shared ones (Questionnaires, Medications) its records use. */
function chartResources(chart: PathwayChart): { own: Resource[]; shared: Resource[] } {
  const own: Resource[] = [
    ...(chart.patient === undefined ? [] : [chart.patient]),
    ...(chart.conditions ?? []),
    ...(chart.questionnaireResponses ?? []),
    ...(chart.pegObservations ?? []),
    ...(chart.medications?.statements ?? []),
    ...(chart.medications?.requests ?? []),
    ...(chart.referrals?.requests ?? []),
    ...(chart.referrals?.tasks ?? []),
  ];
  return { own, shared: [...chart.questionnaires, ...(chart.medications?.medications ?? [])] };
}

const pct = (p: { successes: number; n: number }) =>
  p.n === 0 ? '—' : `${((100 * p.successes) / p.n).toFixed(1)}% (${p.successes}/${p.n})`;

function meanText(cell: ArmAtTimePoint): string {
  const m = cell.meanChange;
  if (m.kind === 'estimate') {
    return `${m.mean.toFixed(2)} (${m.lower.toFixed(2)} to ${m.upper.toFixed(2)})`;
  }
  return m.mean === undefined ? '—' : `${m.mean.toFixed(2)} (no interval: n ${String(m.n)})`;
}

function mmeText(cell: ArmAtTimePoint): string {
  const m = cell.medianMmeChange;
  if (m.kind === 'median') {
    return `${m.value.toFixed(2)} (n ${String(m.n)} on opioids at baseline, ${String(m.reduced)} reduced)`;
  }
  return m.reason === 'no-medication-records'
    ? 'not computed: no medication records'
    : 'none on opioids at baseline';
}

const EXCLUSION_TEXT: Readonly<Record<string, string>> = {
  'no-peg': 'no PEG on record',
  'referred-without-baseline-peg': 'no PEG at the referral (up to 30 days before)',
  'referral-without-date': 'a referral without a date',
  'not-eligible-at-referral': 'not eligible at the referral',
  'never-eligible': 'never eligible',
};

/** Who has a baseline (analysed) and who not, with why. */
function exclusionText(audit: ProgrammeAudit): string {
  const arm = audit.report.arms.intervention;
  const excluded = Object.entries(arm.excluded).filter(([, n]) => n > 0);
  return `${String(arm.withBaseline)} with a baseline PEG${
    excluded.length === 0
      ? ''
      : `; without: ${excluded.map(([why, n]) => `${String(n)} ${EXCLUSION_TEXT[why] ?? why}`).join(', ')}`
  }.`;
}

function AuditTable({ label, audit }: Audited) {
  const a = audit.attendance;
  return (
    <section className="audit" aria-label={`Results: ${label}`} data-audit={label}>
      <h3>{label}</h3>
      <p data-testid="attendance">
        {a.patients} patient{a.patients === 1 ? '' : 's'}; {a.started} attended at least one session
        {a.meanSessions === undefined ? '' : ` (mean ${a.meanSessions.toFixed(1)} of 8)`};{' '}
        {a.completed} completed the programme
        {a.unknown > 0 ? `; sessions not readable for ${String(a.unknown)}` : ''}.{' '}
        {exclusionText(audit)}
      </p>
      <div className="table-scroll">
        <table className="follow-up-table reflow">
          <thead>
            <tr>
              <th scope="col">Time point</th>
              <th scope="col">n</th>
              <th scope="col">Lost to follow-up</th>
              <th scope="col">Not yet due</th>
              <th scope="col">Mean PEG change (95% CI)</th>
              <th scope="col">≥ 1-point drop</th>
              <th scope="col">≥ 30% drop</th>
              <th scope="col">Median MME/day change</th>
            </tr>
          </thead>
          <tbody>
            {audit.report.rows.map((row) => (
              <tr key={row.timePoint.id} data-point={row.timePoint.id}>
                <th scope="row">{row.timePoint.label}</th>
                <td data-label="n">{row.intervention.n}</td>
                <td data-label="Lost to follow-up">{row.intervention.missing}</td>
                <td data-label="Not yet due">{row.intervention.notYetDue}</td>
                <td data-label="Mean PEG change (95% CI)">{meanText(row.intervention)}</td>
                <td data-label="≥ 1-point drop">{pct(row.intervention.improvedOnePoint)}</td>
                <td data-label="≥ 30% drop">{pct(row.intervention.improvedThirtyPercent)}</td>
                <td data-label="Median MME/day change">{mmeText(row.intervention)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Results per cohort and overall: the research table's figures, as an uncontrolled audit. */
export function ResultsView({ session, programme, asOf }: StaffViewProps) {
  const { state: load, retry } = useLoad(
    useCallback(
      (signal: AbortSignal) => loadCohorts(session.transport, programme, signal),
      [session, programme],
    ),
  );
  const [audits, setAudits] = useState<{ text: string; audits: readonly Audited[] } | undefined>();

  const ids = useMemo(
    () =>
      load.status === 'ok'
        ? [
            ...new Set(
              load.value.flatMap((c) => c.members.map((m) => m.replace(/^Patient\//, ''))),
            ),
          ].sort()
        : [],
    [load],
  );
  const members = usePatientPathways(session, ids, asOf);
  const ready = ids.length > 0 && ids.every((id) => members.charts.has(id));

  useEffect(() => {
    if (load.status !== 'ok' || !ready) {
      return;
    }
    let live = true;
    void auditModule().then(async ({ programmeAudit, UNCONTROLLED_AUDIT }) => {
      const { DEFAULT_ELIGIBILITY_CONFIG } =
        await import('../../domain/screening/eligibilityConfig.ts');
      const run = (label: string, patientIds: readonly string[]): Audited => {
        const shared = new Map<string, Resource>();
        const patients = [...patientIds].sort().flatMap((id) => {
          const chart = members.charts.get(id);
          const pathway: Pathway | undefined = members.pathways.get(id);
          if (chart === undefined) {
            return [];
          }
          const { own, shared: used } = chartResources(chart);
          for (const r of used) {
            shared.set(`${r.resourceType}/${r.id ?? (r as { url?: string }).url ?? ''}`, r);
          }
          return [
            {
              resources: own,
              sessionsAttended: pathway?.referral?.sessionsAttended,
              completed: pathway?.referral?.stage === 'completed',
            },
          ];
        });
        return {
          label,
          audit: programmeAudit(patients, [...shared.values()], DEFAULT_ELIGIBILITY_CONFIG, asOf),
        };
      };
      const perCohort = load.value.map((c) =>
        run(
          `${c.name} (${c.start ?? '?'} to ${c.end ?? '?'})`,
          c.members.map((m) => m.replace(/^Patient\//, '')),
        ),
      );
      if (live) {
        setAudits({ text: UNCONTROLLED_AUDIT, audits: [run('All cohorts', ids), ...perCohort] });
      }
    });
    return () => {
      live = false;
    };
  }, [load, ready, ids, members.charts, members.pathways, asOf]);

  if (load.status === 'error') {
    return <RequestError error={load.error} onRetry={retry} />;
  }
  return (
    <section
      className="results"
      aria-labelledby="results-heading"
      aria-busy={audits === undefined && ids.length > 0}
    >
      <h2 id="results-heading">Programme results</h2>
      {load.status === 'ok' && ids.length === 0 && (
        <p className="empty">No patient in a cohort yet.</p>
      )}
      {audits === undefined && ids.length > 0 && <p>Reading the cohorts' charts…</p>}
      {audits !== undefined && (
        <>
          <p className="audit-label" data-testid="audit-label">
            <strong>{audits.text}</strong>
          </p>
          <p data-testid="audit-as-of">
            Counted today, {audits.audits[0]?.audit.report.asOf}: a time point is lost to follow-up
            once its window has closed without a PEG, and not yet due while its window is still
            open.
          </p>
          {audits.audits.map((a) => (
            <AuditTable key={a.label} {...a} />
          ))}
        </>
      )}
    </section>
  );
}
