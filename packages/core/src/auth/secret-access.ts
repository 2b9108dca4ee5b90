/**
 * Lets core's safety rails look at a credential's secrets without the credential exposing them
 * on any property: each built-in credential registers a view here, keyed by the object itself
 * or, for credentials built on a shared prototype, by that prototype (then the view reads the
 * credential it is given). Not exported from the package.
 */

/** What the safety rails may read of a credential, computed at the time of the check. */
export interface SecretView {
  /** The secret sent as-is on the wire (static API key or bearer token), if static. */
  presented?(credential: object): string | undefined;
  /** Secrets whose prefix marks an environment (`sk_test_`, `cs_live_`, ...). */
  environmentSecrets(credential: object): readonly string[];
}

const views = new WeakMap<object, SecretView>();

/** Registers the view of one credential, or of every credential whose prototype is `credential`. */
export function attachSecretView(credential: object, view: SecretView): void {
  views.set(credential, view);
}

export function secretViewOf(credential: object): SecretView | undefined {
  return views.get(credential) ?? views.get(Object.getPrototypeOf(credential) as object);
}
