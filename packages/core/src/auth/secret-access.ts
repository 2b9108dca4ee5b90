/**
 * How core reads the secrets a credential holds, for its safety rails (a test key against
 * production) and to redact them from everything a client prints. Credentials register a reader
 * here; nothing can read it back but core itself, so holding a credential never means holding
 * its secret.
 */

/** What a credential holds, as of now. */
export interface HeldSecrets {
  /** Every secret it holds or has sent: keys, client secrets, current tokens, refresh tokens. */
  readonly all: readonly string[];
  /** Secrets whose prefix marks an environment (`sk_test_`, `cs_live_`, ...). @default all */
  readonly environment?: readonly string[];
  /** The secret sent as is on every request (a static key or token), checked against the spec's format at construction. */
  readonly static?: string;
}

type Reader = (credential: object) => HeldSecrets;

const readers = new WeakMap<object, Reader>();

/** The secrets a credential holds, or `undefined` when it registered none. */
export function secretsOf(credential: object): HeldSecrets | undefined {
  // Its own reader, else the nearest one up its prototype chain (a credential class registers one
  // for every instance, on its prototype).
  let read: Reader | undefined;
  for (let at: object | null = credential; read === undefined && at !== null && at !== Object.prototype; at = Object.getPrototypeOf(at) as object | null) {
    read = readers.get(at);
  }
  if (read === undefined) return undefined;
  try {
    return read(credential);
  } catch {
    return undefined;
  }
}

/**
 * Registers how to read the secrets of `credential` (or, given a prototype, of every credential
 * built on it or on a prototype below it), so the client redacts them from what it prints and checks them against the spec's
 * environments. Custom credentials call it once; it cannot be read back.
 * @example registerCredentialSecrets(myCredential, () => ({ all: [currentToken] }))
 */
export function registerCredentialSecrets(credential: object, read: Reader): void {
  readers.set(credential, read);
}

/** A credential that wraps another holds its secrets: `wrapper` reports what `inner` holds. */
export function inheritCredentialSecrets(wrapper: object, inner: object): void {
  readers.set(wrapper, () => secretsOf(inner) ?? { all: [] });
}
