import type { Authorization, AuthorizeContext, Credential, CredentialKind } from "./credential.js";
import { registerCredentialSecrets, type HeldSecrets } from "./secret-access.js";

/** Node's `util.inspect.custom`, by its registered name (no `node:util` import: core runs anywhere). */
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * What every credential class shares, on its prototype: `toJSON`, `toString` and `util.inspect`
 * show the kind and the fingerprint, nothing else. Subclasses keep their secrets in private
 * fields and register a secret reader for their prototype (`registerCredentialSecrets`), so an
 * instance holds only its own state and no closure.
 *
 * Defined inside a call marked pure (`#__PURE__`): its `static {}` block would otherwise count as
 * a side effect, and bundlers would keep it in apps that use no credential of core's.
 */
export const CredentialBase = /*#__PURE__*/ (() => {
  abstract class CredentialBase<K extends CredentialKind> {
    abstract readonly kind: K;
    abstract readonly fingerprint: string;

    toJSON(): { kind: string; fingerprint: string } {
      return { kind: this.kind, fingerprint: this.fingerprint };
    }

    toString(): string {
      return `Credential<${this.kind}> ${this.fingerprint}`;
    }

    static {
      // `util.inspect` shows what `toString` does. Set here rather than as a computed method, so
      // the class's declared type names no symbol.
      Object.defineProperty(CredentialBase.prototype, inspectCustom, {
        value: function inspect(this: CredentialBase<CredentialKind>): string {
          return this.toString();
        },
        writable: true,
        configurable: true,
      });
    }
  }
  return CredentialBase;
})();

/** The behaviour a credential factory supplies; identity, serialization and inspection are added. */
export interface CredentialBehaviour {
  authorize(context: AuthorizeContext): Promise<Authorization> | Authorization;
  invalidate?(handle: unknown): Promise<boolean> | boolean;
  grantedScopes?(): readonly string[] | undefined;
}

/**
 * Builds a credential object whose only readable state is its kind and fingerprint: secrets stay
 * in the factory's closure, `toJSON`, `toString` and `util.inspect` show the fingerprint. For
 * credentials whose state changes by closures (a token function, a login session); the many
 * credentials of a kind (static keys, token credentials) are classes on `CredentialBase`.
 */
export function defineCredential<K extends CredentialKind, Extra extends object = Record<never, never>>(
  kind: K,
  fingerprint: () => string,
  behaviour: CredentialBehaviour,
  secrets: () => HeldSecrets,
  extra?: Extra,
): Credential<K> & NoInfer<Extra> {
  const describe = (): string => `Credential<${kind}> ${fingerprint()}`;
  const credential = {
    kind,
    get fingerprint(): string {
      return fingerprint();
    },
    authorize: behaviour.authorize,
    ...(behaviour.invalidate ? { invalidate: behaviour.invalidate } : {}),
    ...(behaviour.grantedScopes ? { grantedScopes: behaviour.grantedScopes } : {}),
    toJSON: () => ({ kind, fingerprint: fingerprint() }),
    toString: describe,
    [inspectCustom]: describe,
  };
  // Copy descriptors, not values, so getters of `extra` stay live.
  if (extra !== undefined) Object.defineProperties(credential, Object.getOwnPropertyDescriptors(extra));
  registerCredentialSecrets(credential, secrets);
  return credential as unknown as Credential<K> & Extra;
}
