/**
 * What the bulk client reports while it works. The library only emits these; reporters (the CLI's
 * stderr printer, a test's recorder) decide what to show, as in smart-on-fhir/bulk-data-client.
 */

export interface ManifestFile {
  readonly type: string;
  readonly url: string;
  readonly count?: number;
}

export type BulkEvent =
  | { readonly type: 'authorized'; readonly tokenEndpoint: string; readonly scope: string }
  | { readonly type: 'token-renewed'; readonly reason: 'expired' | 'rejected' }
  | { readonly type: 'kick-off'; readonly statusUrl: string; readonly request: string }
  | { readonly type: 'resumed'; readonly statusUrl: string; readonly completedFiles: number }
  | {
      readonly type: 'job-gone';
      readonly statusUrl: string;
      /** Files of the dropped job deleted from the output directory before the new job. */
      readonly removedFiles: number;
    }
  | { readonly type: 'progress'; readonly progress: string | undefined; readonly waitMs: number }
  | {
      readonly type: 'retry';
      readonly what: string;
      readonly status: number | 'network' | 'timeout';
      readonly attempt: number;
      readonly waitMs: number;
    }
  | { readonly type: 'manifest'; readonly files: readonly ManifestFile[]; readonly errors: number }
  | { readonly type: 'download-start'; readonly file: string; readonly url: string }
  | {
      readonly type: 'download-complete';
      readonly file: string;
      readonly bytes: number;
      readonly lines: number;
    }
  | { readonly type: 'download-skipped'; readonly file: string }
  | { readonly type: 'deleted'; readonly statusUrl: string }
  | { readonly type: 'delete-failed'; readonly statusUrl: string; readonly message: string }
  | {
      readonly type: 'complete';
      readonly outDir: string;
      readonly files: number;
      readonly resources: number;
      readonly ms: number;
    };

export type BulkEventListener = (event: BulkEvent) => void;
