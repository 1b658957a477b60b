/**
 * Serves the built app (vite output in dist/) on its own origin, as a real deployment would, plus
 * `GET /config.json` telling the app its client id and the sandbox's FHIR base. Every answer
 * carries a Content-Security-Policy fitting the EHRs in that configuration.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

class MissingBuildError extends Error {
  override readonly name = 'MissingBuildError';
}

/** Throws MissingBuildError when dist/ has no index.html. */
export function assertBuilt(distDir: string): void {
  for (const f of ['index.html', 'launch/launch.html']) {
    if (!existsSync(resolve(distDir, f))) {
      throw new MissingBuildError(
        `The app is not built (${resolve(distDir, f)} is missing): run \`npm run build\` first.`,
      );
    }
  }
}

interface AppServerOptions {
  readonly distDir: string;
  /** The body of GET /config.json. */
  readonly config: () => Record<string, unknown>;
}

/** The origins of the EHRs a configuration names (issPrefix, standaloneIss, ehrs[].issPrefix). */
function ehrOrigins(config: Record<string, unknown>): string[] {
  const urls: unknown[] = [config['issPrefix'], config['standaloneIss']];
  const ehrs = config['ehrs'];
  if (Array.isArray(ehrs)) {
    for (const ehr of ehrs as unknown[]) {
      urls.push(
        typeof ehr === 'object' && ehr !== null
          ? (ehr as Record<string, unknown>)['issPrefix']
          : undefined,
      );
    }
  }
  const origins = urls.flatMap((u) =>
    typeof u === 'string' && URL.canParse(u) ? [new URL(u).origin] : [],
  );
  return [...new Set(origins)];
}

/**
 * The app's Content-Security-Policy: its own scripts and styles only (the build has no inline
 * code), fetches to itself and the configured EHRs' origins only, and framing by those EHRs only
 * (an EHR that embeds the app, as Epic does, must be named in config.json).
 */
export function contentSecurityPolicy(config: Record<string, unknown>): string {
  const ehrs = ehrOrigins(config);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...ehrs].join(' ')}`,
    `frame-ancestors ${["'self'", ...ehrs].join(' ')}`,
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

function sendWith(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  head: boolean,
  policy: string,
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': policy,
    'Referrer-Policy': 'no-referrer',
  });
  res.end(head ? undefined : body);
}

export function createAppHandler(o: AppServerOptions) {
  const root = resolve(o.distDir);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const config = o.config();
    const policy = contentSecurityPolicy(config);
    const send = (status: number, type: string, body: string | Buffer, head: boolean): void => {
      sendWith(res, status, type, body, head, policy);
    };
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      send(405, 'text/plain; charset=utf-8', 'Method not allowed', head);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://app.invalid');
    if (url.pathname === '/config.json') {
      send(200, CONTENT_TYPES['.json'] ?? '', JSON.stringify(config), head);
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      send(400, 'text/plain; charset=utf-8', 'Bad path', head);
      return;
    }
    if (pathname.endsWith('/')) {
      pathname += 'index.html';
    }
    const file = resolve(root, `.${pathname}`);
    if (file !== root && !file.startsWith(root + sep)) {
      send(404, 'text/plain; charset=utf-8', 'Not found', head);
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) {
        throw new Error('not a file');
      }
    } catch {
      const missing = existsSync(resolve(root, 'index.html'))
        ? `Not found: ${pathname}`
        : 'The app is not built: run `npm run build` first.';
      send(404, 'text/plain; charset=utf-8', missing, head);
      return;
    }
    send(
      200,
      CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      await readFile(file),
      head,
    );
  };
}
