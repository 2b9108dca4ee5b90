/**
 * Lets core's safety rails look at a credential's secrets without the credential exposing them
 * on any property: each built-in credential registers a view here, keyed by the object itself.
 * Not exported from the package.
 */

/** What the safety rails may read of a credential, computed at the time of the check. */
export interface SecretView {
  /** The secret sent as-is on the wire (static API key or bearer token), if static. */
  presented?(): string | undefined;
  /** Secrets whose prefix marks an environment (`sk_test_`, `cs_live_`, ...). */
  environmentSecrets(): readonly string[];
}

const views = new WeakMap<object, SecretView>();

export function attachSecretView(credential: object, view: SecretView): void {
  views.set(credential, view);
}

export function secretViewOf(credential: object): SecretView | undefined {
  return views.get(credential);
}
