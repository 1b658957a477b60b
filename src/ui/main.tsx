import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <main aria-busy="true">CLBP Pathway</main>
    </StrictMode>,
  );
}
