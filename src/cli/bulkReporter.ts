/**
 * Prints the bulk client's events as short lines (stderr in `clbp bulk`), one per event, so a
 * researcher sees the job's progress, retries and each file as it lands.
 */
import type { BulkEvent } from '../fhir/bulk/events.ts';

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The line for one event (undefined: nothing to say). */
function describeEvent(e: BulkEvent): string | undefined {
  switch (e.type) {
    case 'authorized':
      return `authorized at ${e.tokenEndpoint}`;
    case 'token-renewed':
      return e.reason === 'expired'
        ? 'access token expired: getting a new one'
        : 'server refused the access token (401): getting a new one';
    case 'kick-off':
      return `export started: ${e.statusUrl}`;
    case 'resumed':
      return `resuming export ${e.statusUrl} (${e.completedFiles} file(s) already complete)`;
    case 'job-gone':
      return `the earlier export job no longer exists on the server: starting a new one`;
    case 'progress':
      return `export running${e.progress === undefined ? '' : `: ${e.progress}`}; next check in ${seconds(e.waitMs)}`;
    case 'retry':
      return `${e.what}: ${typeof e.status === 'number' ? `HTTP ${e.status}` : e.status === 'timeout' ? 'no answer in time' : 'network error'}, retry ${e.attempt} in ${seconds(e.waitMs)}`;
    case 'manifest':
      return `export ready: ${e.files.length} file(s)${e.errors > 0 ? `, ${e.errors} error file(s)` : ''}`;
    case 'download-start':
      return undefined;
    case 'download-complete':
      return `  ${e.file}  ${e.lines} resources, ${kb(e.bytes)}`;
    case 'download-skipped':
      return `  ${e.file}  already complete, skipped`;
    case 'deleted':
      return 'export job deleted on the server';
    case 'delete-failed':
      return `warning: could not delete the export job ${e.statusUrl} (${e.message})`;
    case 'complete':
      return `done: ${e.files} file(s), ${e.resources} resources in ${e.outDir} (${seconds(e.ms)})`;
  }
}

/** A listener that writes each event's line with `write`. */
export function lineReporter(write: (text: string) => void): (e: BulkEvent) => void {
  return (e) => {
    const line = describeEvent(e);
    if (line !== undefined) {
      write(`${line}\n`);
    }
  };
}
