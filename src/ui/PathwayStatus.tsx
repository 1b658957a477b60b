import type { Pathway } from '../domain/pathway/pathway.ts';
import type { NextAction } from '../domain/pathway/state.ts';
import { glance, type GlanceCell } from '../domain/pathway/glance.ts';
import { nextActionText, statusLine } from '../domain/pathway/status.ts';

/** Actions the clinician can take from the first screen (the others are sentences). */
function isActionable(action: NextAction): boolean {
  switch (action.kind) {
    case 'load':
    case 'screen':
    case 'record-peg':
    case 'evaluate':
    case 'refer':
    case 'record-follow-up-peg':
      return true;
    case 'wait-for-programme':
    case 'none':
      return false;
  }
}

function Cell({ name, cell, testId }: { name: string; cell: GlanceCell; testId: string }) {
  return (
    <div className="glance-cell" data-testid={testId}>
      <dt>{name}</dt>
      <dd>
        <strong>{cell.value}</strong> <span className="glance-detail">{cell.detail}</span>
        {cell.flag !== undefined && (
          <span className="glance-flag" data-testid={`${testId}-flag`}>
            {cell.flag}
          </span>
        )}
      </dd>
    </div>
  );
}

interface PathwayStatusProps {
  readonly pathway: Pathway;
  readonly loading: boolean;
  /** Runs the next action; undefined when this user may not act (a patient's read-only view). */
  readonly onAction: ((action: NextAction) => void) | undefined;
}

/**
 * The first screen: where the patient is, the one next action, and a compact row of PEG, dose and
 * referral (words from domain/pathway status.ts and glance.ts).
 */
export function PathwayStatus({ pathway, loading, onAction }: PathwayStatusProps) {
  if (loading && pathway.state.kind === 'unknown') {
    return (
      <p className="pathway-status" role="status" data-testid="pathway-status" data-state="loading">
        Loading the chart…
      </p>
    );
  }
  const action = pathway.nextAction;
  const row = glance(pathway);
  const urgent = pathway.state.kind === 'needs-evaluation' && pathway.state.urgent;
  return (
    <div
      className={`pathway-status${urgent ? ' pathway-urgent' : ''}`}
      data-testid="pathway-status"
      data-state={pathway.state.kind}
    >
      <p className="status-line" data-testid="status-line">
        <strong>{statusLine(pathway)}</strong>
      </p>
      <p className="next-action" data-testid="next-action" data-action={action.kind}>
        {onAction !== undefined && isActionable(action) ? (
          <button
            type="button"
            onClick={() => {
              onAction(action);
            }}
          >
            {nextActionText(action)}
          </button>
        ) : (
          <>Next: {nextActionText(action)}</>
        )}
      </p>
      <dl className="glance" data-testid="at-a-glance">
        <Cell name="PEG" cell={row.peg} testId="glance-peg" />
        <Cell name="Opioids" cell={row.mme} testId="glance-mme" />
        <Cell name="Referral" cell={row.referral} testId="glance-referral" />
      </dl>
    </div>
  );
}
