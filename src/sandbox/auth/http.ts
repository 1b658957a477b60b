/** Small HTTP helpers shared by the sandbox's auth server, EHR simulator and app server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyLimited } from '../readBody.ts';

const MAX_BODY_BYTES = 64 * 1024;

export class BodyError extends Error {
  override readonly name = 'BodyError';
}

/** Reads a request body as text, refusing anything over 64 KiB. */
function readBody(req: IncomingMessage): Promise<string> {
  return readBodyLimited(
    req,
    MAX_BODY_BYTES,
    () => new BodyError('request body larger than 64 KiB'),
  );
}

/** Parameters of a GET query or an `application/x-www-form-urlencoded` POST body. */
export async function readParams(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  if (req.method !== 'POST') {
    return url.searchParams;
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new BodyError('expected Content-Type application/x-www-form-urlencoded');
  }
  return new URLSearchParams(await readBody(req));
}

/** The single value of a parameter; repeated parameters are an error per RFC 6749 §3.1. */
export function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) {
    throw new BodyError(`parameter ${name} is repeated`);
  }
  const v = all[0];
  return v === undefined || v === '' ? undefined : v;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // The EHR simulator frames the app (and so these pages) from its own origin only.
    'Content-Security-Policy': "frame-ancestors 'self'",
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
  res.end();
}

export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A minimal accessible page shell (no icon, as the app's pages: a browser asks for none). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f5f7fa}
header{background:#1d3b5c;color:#fff;padding:.6rem 1rem}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
fieldset{border:1px solid #9aa5b1;border-radius:4px;margin:0 0 1rem;padding:.5rem 1rem}
label{display:block;padding:.25rem 0}
button{font:inherit;padding:.4rem .9rem;margin-right:.5rem;cursor:pointer}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #c5ccd3;padding:.35rem .5rem;text-align:left;vertical-align:top}
.error{border-left:4px solid #b3261e;background:#fff;padding:.5rem 1rem}
</style>
</head>
<body>
<header><strong>CLBP Pathway EHR sandbox</strong></header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** Adds CORS headers when the request's Origin is allowed; answers preflights. Returns true if handled. */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: readonly string[],
  methods: string,
): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && allowed.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Authorization');
    res.setHeader('Access-Control-Allow-Methods', methods);
    res.setHeader('Access-Control-Max-Age', '600');
  }
  if (req.method === 'OPTIONS') {
    res.writeHead(204);
    res.end();
    return true;
  }
  return false;
}
