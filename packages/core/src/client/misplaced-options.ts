/**
 * Token settings and token hooks are options of the credential that obtains the tokens, not of
 * the client: given to a client they are unknown keys, and the message says where they go.
 */

/** Top-level settings of the token credentials (`clientCredentials`, `tokenProvider`, ...). */
const CREDENTIAL_SETTINGS: ReadonlySet<string> = new Set([
  "refreshAhead",
  "softWindowMs",
  "hardWindowMs",
  "retryInitialMs",
  "retryMaxMs",
  "cache",
  "tenant",
  "claims",
  "lifetimeSeconds",
  "defaultLifetimeSeconds",
  "maxLifetimeSeconds",
  "tokenUrl",
  "clientId",
  "clientSecret",
  "audience",
  "scope",
]);

/** Hooks of the token credentials (under their `hooks`). */
const TOKEN_HOOKS: ReadonlySet<string> = new Set(["onTokenRefresh", "onTokenError"]);

/**
 * The sentence saying which of the unknown client option keys at `path` (`""` for the top level,
 * `"hooks"`) belong on a token credential, and whether all of them do; undefined when none does.
 * Names keys only, never values.
 */
export function credentialOptionHint(path: string, keys: readonly string[]): { readonly all: boolean; readonly hint: string } | undefined {
  const inHooks = path === "hooks";
  const misplaced = keys.filter((key) => (inHooks ? TOKEN_HOOKS.has(key) : path === "" && CREDENTIAL_SETTINGS.has(key)));
  if (misplaced.length === 0) return undefined;
  const names = misplaced.map((key) => `"${inHooks ? `hooks.${key}` : key}"`).join(", ");
  const first = misplaced[0];
  const example = inHooks ? `, hooks: { ${first} }` : ["tokenUrl", "clientId", "clientSecret"].includes(first ?? "") ? "" : `, ${first}`;
  return {
    all: misplaced.length === keys.length,
    hint:
      `${names} ${misplaced.length === 1 ? "is an option" : "are options"} of the token credential, not of the client: ` +
      `give ${misplaced.length === 1 ? "it" : "them"} to the credential you pass as "auth", e.g. auth: clientCredentials({ tokenUrl, clientId, clientSecret${example} }) ` +
      `(refreshTokenCredential, exchangeAuthorizationCode and tokenProvider take the same token options).`,
  };
}
