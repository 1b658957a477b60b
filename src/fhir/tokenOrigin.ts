/**
 * THE token-origin rule of every FHIR client (the browser app, `clbp bulk`, `clbp export`): a URL
 * a server hands back (`next` links, Bulk Data status and file URLs) is followed only where the
 * caller says it may lead, and the bearer token goes only to the FHIR base's origin. transport.ts
 * applies it to every request before anything is sent.
 */

/**
 * Where a request may go:
 * - `fhir`: under the FHIR base (reads, searches, writes, `next` links); with the token;
 * - `fhir-origin`: anywhere on the FHIR base's origin (Bulk Data status URLs, and files when the
 *   manifest says they require the token); with the token;
 * - `anywhere`: any http(s) URL, never with the token (Bulk Data files that do not require it,
 *   the token endpoint).
 */
export type Destination = 'fhir' | 'fhir-origin' | 'anywhere';

function parseHttpUrl(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * THE token-origin rule. Whether `url` lies where `destination` allows, for a FHIR server at `base`:
 * compared on parsed, normalised URLs (`…/fhir/../auth` is not under `…/fhir`).
 */
export function destinationOf(base: string, url: string, destination: Destination): boolean {
  const target = parseHttpUrl(url);
  const home = parseHttpUrl(base);
  if (target === undefined || home === undefined) {
    return false;
  }
  switch (destination) {
    case 'anywhere':
      return true;
    case 'fhir-origin':
      return target.origin === home.origin;
    case 'fhir': {
      const path = home.pathname.replace(/\/+$/, ''); // '' for a base at the origin's root
      return (
        target.origin === home.origin &&
        (path === '' || target.pathname === path || target.pathname.startsWith(`${path}/`))
      );
    }
  }
}

/** How a refusal names where the URL led. */
export const WHERE: Readonly<Record<Destination, string>> = {
  fhir: 'outside its FHIR server',
  'fhir-origin': 'on another server than its FHIR server',
  anywhere: 'which is not an http(s) URL',
};
