// fhirclient falls back to isomorphic-webcrypto for browsers without WebCrypto; every browser the
// app supports has it (PKCE needs it), so the fallback is replaced by the platform's own.
export default globalThis.crypto;
