import type { Authorization, AuthorizeContext, Credential, CredentialKind } from "./credential.js";
import { registerCredentialSecrets, type HeldSecrets } from "./secret-access.js";

const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/** The behaviour a credential factory supplies; identity, serialization and inspection are added. */
export interface CredentialBehaviour {
  authorize(context: AuthorizeContext): Promise<Authorization> | Authorization;
  invalidate?(handle: unknown): Promise<boolean> | boolean;
  grantedScopes?(): readonly string[] | undefined;
}

/**
 * Builds a credential object whose only readable state is its kind and fingerprint: secrets stay
 * in the factory's closure, `toJSON`, `toString` and `util.inspect` show the fingerprint.
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
