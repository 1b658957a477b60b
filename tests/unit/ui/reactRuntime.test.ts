/**
 * The app is written against React's API and ships on Preact's compatibility layer
 * (vite.config.ts REACT_ON_PREACT); the component tests must render with what ships.
 */
import * as React from 'react';
import * as ReactDomClient from 'react-dom/client';
import * as compat from 'preact/compat';
import * as compatClient from 'preact/compat/client';
import { describe, expect, it } from 'vitest';

describe('the React runtime the tests and the build use', () => {
  it('is preact/compat', () => {
    expect(React.createElement).toBe(compat.createElement);
    expect(React.startTransition).toBe(compat.startTransition);
    expect(ReactDomClient.createRoot).toBe(compatClient.createRoot);
  });
});
