import { useState, type ReactNode } from 'react';

/**
 * A `<details>` whose content is rendered once it is opened: a long history (hundreds of earlier
 * PEGs or orders) costs the first screen nothing, and is all there when the clinician asks.
 */
export function Disclosure(props: {
  readonly summary: ReactNode;
  readonly children: () => ReactNode;
  /** `loading` while older records are still being read (e2e tests and the bench wait on it). */
  readonly history?: 'loading' | 'complete';
}) {
  const [open, setOpen] = useState(false);
  return (
    <details
      data-history={props.history}
      onToggle={(e) => {
        setOpen(e.currentTarget.open);
      }}
    >
      <summary>{props.summary}</summary>
      {open && props.children()}
    </details>
  );
}
