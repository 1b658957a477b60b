/**
 * The contract between the sandbox's SMART authorization server (which issues tokens) and its FHIR
 * server (which enforces them). Kept in one small file so both sides can be built and tested apart.
 */

/** What a verified access token grants. */
export interface AccessContext {
  readonly clientId: string;
  /** Granted scopes, exactly as issued (v1 `patient/Observation.read` or v2 `patient/Observation.rs`). */
  readonly scopes: readonly string[];
  /** Launch patient id, present when a `patient/` scope was granted with launch context. */
  readonly patient?: string;
  /** The signed-in user, `Practitioner/<id>` or (a patient as themselves) `Patient/<id>`. */
  readonly fhirUser?: string;
  /** Expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

export type TokenCheck =
  | { readonly ok: true; readonly context: AccessContext }
  | {
      readonly ok: false;
      readonly reason: 'missing' | 'invalid' | 'expired' | 'wrong-audience';
      readonly message: string;
    };

/** Verifies the `Authorization` header of a FHIR request. */
export type TokenVerifier = (authorizationHeader: string | undefined) => Promise<TokenCheck>;
