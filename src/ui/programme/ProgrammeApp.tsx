import { useEffect, useRef, useState } from 'react';
import type { StaffSession } from '../../fhir/session.ts';
import { applySmartStyle } from '../smartStyle.ts';
import { CohortsView } from './CohortsView.tsx';
import { FollowUpsView } from './FollowUpsView.tsx';
import { QueueView } from './QueueView.tsx';
import { ResultsView } from './ResultsView.tsx';
import './programme.css';

export interface ProgrammeAppProps {
  readonly session: StaffSession;
  /** `Organization/<id>` of the programme whose queue this is (config.json). */
  readonly programme: string;
}

const VIEWS = [
  { id: 'queue', label: 'Referral queue' },
  { id: 'cohorts', label: 'Cohorts and sessions' },
  { id: 'follow-ups', label: 'Follow-ups' },
  { id: 'results', label: 'Results' },
] as const;

type ViewId = (typeof VIEWS)[number]['id'];

/** The programme workspace for clinic staff: the referral queue, cohorts and sessions. */
export function ProgrammeApp({ session, programme }: ProgrammeAppProps) {
  const [asOf] = useState(() => new Date());
  const [view, setView] = useState<ViewId>('queue');
  const heading = useRef<HTMLHeadingElement>(null);
  const [moved, setMoved] = useState(false);

  useEffect(() => {
    if (session.smartStyleUrl !== undefined) {
      void applySmartStyle(session.smartStyleUrl);
    }
  }, [session.smartStyleUrl]);

  // A keyboard user who switches views lands on the new view's heading, not at the page top.
  useEffect(() => {
    if (moved) {
      heading.current?.focus();
    }
  }, [view, moved]);

  const props = { session, programme, asOf };
  const current = VIEWS.find((v) => v.id === view) ?? VIEWS[0];
  return (
    <main className="programme" aria-labelledby="programme-title">
      <header className="programme-header">
        <p className="muted programme-kicker">Mindfulness group medical visits</p>
        <nav aria-label="Programme workspace">
          <ul className="programme-tabs">
            {VIEWS.map((v) => (
              <li key={v.id}>
                <button
                  type="button"
                  className={v.id === view ? 'tab current' : 'tab'}
                  aria-current={v.id === view ? 'page' : undefined}
                  data-view={v.id}
                  onClick={() => {
                    setMoved(true);
                    setView(v.id);
                  }}
                >
                  {v.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <h1 id="programme-title" ref={heading} tabIndex={-1}>
          {current.label}
        </h1>
      </header>
      {view === 'queue' && <QueueView {...props} />}
      {view === 'cohorts' && <CohortsView {...props} />}
      {view === 'follow-ups' && <FollowUpsView {...props} />}
      {view === 'results' && <ResultsView {...props} />}
    </main>
  );
}
