/**
 * Serves the built app (vite output in dist/) on its own origin, as a real deployment would, plus
 * `GET /config.json` telling the app its client id and the sandbox's FHIR base.
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

export class MissingBuildError extends Error {
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

export interface AppServerOptions {
  readonly distDir: string;
  /** The body of GET /config.json. */
  readonly config: () => Record<string, unknown>;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  head: boolean,
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(head ? undefined : body);
}

export function createAppHandler(o: AppServerOptions) {
  const root = resolve(o.distDir);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', head);
      return;
    }
    const url = new URL(req.url ?? '/', 'http://app.invalid');
    if (url.pathname === '/config.json') {
      send(res, 200, CONTENT_TYPES['.json'] ?? '', JSON.stringify(o.config()), head);
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad path', head);
      return;
    }
    if (pathname.endsWith('/')) {
      pathname += 'index.html';
    }
    const file = resolve(root, `.${pathname}`);
    if (file !== root && !file.startsWith(root + sep)) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found', head);
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
      send(res, 404, 'text/plain; charset=utf-8', missing, head);
      return;
    }
    send(
      res,
      200,
      CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      await readFile(file),
      head,
    );
  };
}
