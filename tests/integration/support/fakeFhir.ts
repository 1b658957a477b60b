/**
 * A tiny in-memory FHIR responder for msw, built from fixture resources (a fake server, not per-call
 * stubs): reads, and searches by type with `patient`, `_sort` by a date (`date`, `authored`,
 * `authoredon`, `effective`; `-` for newest first), `_count` paging via `_offset` and
 * `_include=*:medication`. Tests add failures on top with `server.use(...)`.
 */
import type { Bundle, BundleEntry, Resource } from 'fhir/r4';
import { http, HttpResponse } from 'msw';

export const BASE = 'https://ehr.example.test/fhir';

function belongsTo(resource: Resource, patientId: string): boolean {
  const r = resource as unknown as Record<string, { reference?: string } | undefined>;
  const ref = r['subject']?.reference ?? r['patient']?.reference ?? r['for']?.reference;
  return ref === `Patient/${patientId}` || ref === patientId;
}

/** The element each date search parameter sorts by. */
const SORT_ELEMENTS: Readonly<Record<string, string>> = {
  date: 'effectiveDateTime',
  authored: 'authored',
  authoredon: 'authoredOn',
  effective: 'effectiveDateTime',
};

function sorted(resources: Resource[], sort: string | null): Resource[] {
  const element = sort === null ? undefined : SORT_ELEMENTS[sort.replace(/^-/, '')];
  if (sort === null || element === undefined) {
    return resources;
  }
  const dateOf = (r: Resource) => {
    const value = (r as unknown as Record<string, unknown>)[element];
    return typeof value === 'string' ? value : '';
  };
  const ascending = [...resources].sort((a, b) => dateOf(a).localeCompare(dateOf(b)));
  return sort.startsWith('-') ? ascending.reverse() : ascending;
}

export function fakeFhirHandlers(
  resources: readonly Resource[],
  pageSizeCap = 1000,
  options: { readonly ignoreSort?: boolean } = {},
) {
  const byKey = new Map(resources.map((r) => [`${r.resourceType}/${r.id ?? ''}`, r]));
  return [
    http.get(`${BASE}/:type/:id`, ({ params }) => {
      const found = byKey.get(`${String(params['type'])}/${String(params['id'])}`);
      return found
        ? HttpResponse.json(found)
        : HttpResponse.json(
            {
              resourceType: 'OperationOutcome',
              issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Not found' }],
            },
            { status: 404 },
          );
    }),
    http.get(`${BASE}/:type`, ({ params, request }) => {
      const url = new URL(request.url);
      const type = String(params['type']);
      const patient = url.searchParams.get('patient');
      const count = Math.min(Number(url.searchParams.get('_count') ?? '50'), pageSizeCap);
      const offset = Number(url.searchParams.get('_offset') ?? '0');
      const all = sorted(
        resources.filter(
          (r) =>
            r.resourceType === type &&
            (patient === null || belongsTo(r, patient.replace(/^Patient\//, ''))),
        ),
        options.ignoreSort === true ? null : url.searchParams.get('_sort'),
      );
      const page = all.slice(offset, offset + count);
      const entry: BundleEntry[] = page.map((resource) => ({
        resource,
        search: { mode: 'match' },
      }));
      if (url.searchParams.get('_include')?.endsWith(':medication') === true) {
        for (const r of page) {
          const ref = (r as { medicationReference?: { reference?: string } }).medicationReference
            ?.reference;
          const med = ref === undefined ? undefined : byKey.get(ref);
          if (med) {
            entry.push({ resource: med, search: { mode: 'include' } });
          }
        }
      }
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'searchset',
        total: all.length,
        entry,
        link: [],
      };
      if (offset + count < all.length) {
        const next = new URL(url);
        next.searchParams.set('_offset', String(offset + count));
        bundle.link = [{ relation: 'next', url: next.toString() }];
      }
      return HttpResponse.json(bundle);
    }),
  ];
}

export function fixtureResources(bundle: Bundle): Resource[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}
