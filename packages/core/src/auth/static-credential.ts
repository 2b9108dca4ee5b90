import type { Authorization, Credential } from "./credential.js";
import { CredentialBase } from "./define-credential.js";
import { registerCredentialSecrets, type HeldSecrets } from "./secret-access.js";

/** The kinds a fixed secret serves here (`apiKey`, which rotates, has its own class). */
export type StaticKind = "bearer" | "basic" | "none";

const NOTHING: HeldSecrets = { all: [] };

/**
 * A credential whose secret never changes: `bearerToken("…")`, `basicAuth(user, password)`,
 * `none()`. Each instance holds its kind, its secret and its fingerprint in private fields; the
 * behaviour, the printed forms and the secret reader live on the prototype (one for all).
 * Defined inside a call marked pure (`#__PURE__`): its `static {}` block would otherwise count as
 * a side effect, kept by bundlers in apps that never build one.
 */
export const StaticCredential = /*#__PURE__*/ (() => {
  class StaticCredential<K extends StaticKind> extends CredentialBase<K> implements Credential<K> {
    readonly #kind: K;
    /** The token, `user:password` (basic), or undefined (none). */
    readonly #secret: string | undefined;
    readonly #fingerprint: string;

    constructor(kind: K, secret: string | undefined, fingerprint: string) {
      super();
      this.#kind = kind;
      this.#secret = secret;
      this.#fingerprint = fingerprint;
    }

    get kind(): K {
      return this.#kind;
    }

    get fingerprint(): string {
      return this.#fingerprint;
    }

    authorize(): Authorization {
      const secret = this.#secret;
      return secret === undefined ? {} : { secret };
    }

    /** The secret cannot change: a 401 is not worth a replay. */
    invalidate(): boolean {
      return false;
    }

    static {
      registerCredentialSecrets(StaticCredential.prototype, (credential): HeldSecrets => {
        if (!(#secret in credential)) return NOTHING;
        const own = credential as StaticCredential<StaticKind>;
        const secret = own.#secret;
        if (secret === undefined) return NOTHING;
        if (own.#kind !== "basic") return { all: [secret], static: secret };
        // `user:password`: the user never holds a colon (RFC 7617).
        const colon = secret.indexOf(":");
        const user = secret.slice(0, colon);
        const password = secret.slice(colon + 1);
        return { all: [secret, password], environment: [user, password] };
      });
    }
  }
  return StaticCredential;
})();
