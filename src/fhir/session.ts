/**
 * The SMART session after the redirect: fhirclient completes the code exchange, and everything else
 * (requests, refresh, errors) goes through our transport. Rendering never waits for the
 * CapabilityStatement: nothing here asks for it.
 */
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { FhirError } from './errors.ts';
import { createTransport, type FhirTransport } from './transport.ts';

export interface Session {
  readonly transport: FhirTransport;
  readonly patientId: string;
  /** `Practitioner/<id>` from the id_token, when the EHR gave one. */
  readonly fhirUser: string | undefined;
  /** The scopes the EHR granted (may be fewer than asked). */
  readonly grantedScope: string;
  readonly needPatientBanner: boolean;
  readonly smartStyleUrl: string | undefined;
}

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function sessionFromClient(client: Client): Session {
  const tokenResponse = (client.state.tokenResponse ?? {}) as Record<string, unknown>;
  const patientId = client.getPatientId();
  if (patientId === null || patientId === '') {
    throw new FhirError({
      kind: 'no-launch',
      message: 'The EHR did not say which patient is open (no patient in the launch context).',
    });
  }
  const transport = createTransport({
    baseUrl: client.state.serverUrl,
    getToken: async () => {
      await client.refreshIfNeeded();
      return client.state.tokenResponse?.access_token;
    },
    refresh: async () => {
      if (client.state.tokenResponse?.refresh_token === undefined) {
        return undefined;
      }
      const state = await client.refresh();
      return state.tokenResponse?.access_token;
    },
  });
  return {
    transport,
    patientId,
    fhirUser: client.getFhirUser() ?? undefined,
    grantedScope: stringField(tokenResponse, 'scope') ?? '',
    needPatientBanner: tokenResponse['need_patient_banner'] === true,
    smartStyleUrl: stringField(tokenResponse, 'smart_style_url'),
  };
}

/** Completes the SMART launch in this window; rejects with a FhirError the screen can explain. */
export async function startSession(): Promise<Session> {
  let client: Client;
  try {
    client = await FHIR.oauth2.ready();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const noState = /state/i.test(detail) || /No 'code'/i.test(detail);
    throw new FhirError({
      kind: noState ? 'no-launch' : 'session-expired',
      message: noState
        ? 'CLBP Pathway was opened without a launch from an EHR, or the launch expired.'
        : `The EHR did not complete the sign-in: ${detail}`,
      cause: error,
    });
  }
  return sessionFromClient(client);
}
