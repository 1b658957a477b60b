import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { normalizeError } from '../fhir/errors.ts';
import { startSession } from '../fhir/session.ts';
import { App } from './App.tsx';
import { ErrorScreen } from './ErrorScreen.tsx';
import './styles.css';

const container = document.getElementById('root');
if (container) {
  const root = createRoot(container);
  root.render(
    <main aria-busy="true">
      <p>Connecting to the EHR…</p>
    </main>,
  );
  startSession().then(
    (session) => {
      root.render(
        <StrictMode>
          <App session={session} asOf={new Date()} />
        </StrictMode>,
      );
    },
    (error: unknown) => {
      root.render(<ErrorScreen error={normalizeError(error)} />);
    },
  );
}
