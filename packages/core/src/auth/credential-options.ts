/**
 * The options of the token credentials (`clientCredentials`, `refreshTokenCredential`,
 * `exchangeAuthorizationCode`, `tokenProvider`, `loginSession`), validated once by zod/mini
 * schemas built on first use: an app bundles only the schemas of the factories it calls. A bad
 * option throws `INVALID_OPTIONS` naming the option and the fix, never its value.
 */
import * as z from "zod/mini";
import { PorticoError } from "../errors/portico-error.js";
import { canParseUrl, entriesWhere, firstIssue, flag, fn, MAX_TIMER_MS, nonEmptyString, numberWhere } from "../internal/option-schema.js";

const WINDOW_FIX = `must be a number of milliseconds from 0 to ${MAX_TIMER_MS}`;
const windowMs = () => z.optional(numberWhere((v) => v >= 0 && v <= MAX_TIMER_MS, WINDOW_FIX));
const seconds = () => z.optional(numberWhere((v) => v > 0 && Number.isFinite(v), "must be a positive number of seconds"));
const optionalString = () => z.optional(nonEmptyString());
const optionalFn = (fix = "must be a function") => z.optional(fn(fix));
const url = () => nonEmptyString('must be an absolute URL string, e.g. "https://auth.example.com/oauth/token"').check(z.refine(canParseUrl, { error: 'must be an absolute URL, e.g. "https://auth.example.com/oauth/token"' }));
const oneOf = (values: readonly string[]) =>
  z.optional(z.custom<string>((v) => typeof v === "string" && values.includes(v), { error: `must be ${values.map((v) => JSON.stringify(v)).join(" or ")}` }));
/** An absolute time: epoch seconds or ms, an ISO 8601 string, or a Date. */
const instant = () =>
  z.optional(
    z.custom<number | string | Date>((v) => (typeof v === "number" && Number.isFinite(v)) || (typeof v === "string" && v.length > 0) || v instanceof Date, {
      error: "must be epoch seconds or milliseconds, an ISO 8601 string or a Date",
    }),
  );
/** An object of parameter name to value, each value passing `ok` (else `valueFix`). */
const params = (ok: (value: unknown) => boolean, fix: string, valueFix: string) =>
  z.optional(entriesWhere(ok, `must be an object of parameter name to ${fix}`, valueFix));

const isTokenCache = (v: unknown): boolean => {
  const cache = v as { get?: unknown; set?: unknown; delete?: unknown; withRefreshLock?: unknown } | null;
  return (
    typeof cache === "object" &&
    cache !== null &&
    typeof cache.get === "function" &&
    typeof cache.set === "function" &&
    typeof cache.delete === "function" &&
    (cache.withRefreshLock === undefined || typeof cache.withRefreshLock === "function")
  );
};

const clock = () => z.custom<object>((v) => typeof (v as { now?: unknown } | null)?.now === "function", { error: "must be a clock: an object whose now() returns epoch milliseconds" });

/** What every credential that obtains tokens takes (`TokenCredentialOptions`, `RefreshWindowOptions`). */
const tokenShape = () => ({
  refreshAhead: z.optional(flag()),
  softWindowMs: windowMs(),
  hardWindowMs: windowMs(),
  retryInitialMs: windowMs(),
  retryMaxMs: windowMs(),
  cache: z.optional(
    z.custom<object>(isTokenCache, { error: "must be a token cache: an object with get, set and delete methods (and optionally withRefreshLock), e.g. createMemoryTokenCache()" }),
  ),
  hooks: z.optional(
    z.object(
      { onTokenRefresh: optionalFn(), onTokenError: optionalFn() },
      { error: "must be an object of token hooks: { onTokenRefresh?, onTokenError? }" },
    ),
  ),
  clock: z.optional(clock()),
  tenant: optionalString(),
  claims: z.optional(
    z.object(
      { tenant: optionalString(), permissions: optionalString() },
      { error: 'must be full claim names: { tenant?, permissions? }, e.g. { tenant: "https://atrope.dev/claims/tenant_id" }' },
    ),
  ),
  claimsNamespace: z.optional(nonEmptyString('must be the claim namespace prefix, e.g. "https://atrope.dev/claims/"')),
  fetcher: optionalFn("must be a function (url: string, init) => Promise<Response>"),
  timeoutMs: z.optional(numberWhere((v) => v > 0 && v <= MAX_TIMER_MS, `must be a number of milliseconds > 0 and ≤ ${MAX_TIMER_MS}`)),
});

const CLIENT_AUTHENTICATION = ["client_secret_basic", "client_secret_post"] as const;
const ENCODINGS = ["json", "form"] as const;

/** What a session refreshed with a refresh token takes (`refreshTokenCredential`, `exchangeAuthorizationCode`). */
const sessionShape = () => ({
  ...tokenShape(),
  tokenUrl: url(),
  clientId: nonEmptyString(),
  clientSecret: optionalString(),
  bodyEncoding: oneOf(ENCODINGS),
  clientAuthentication: oneOf(CLIENT_AUTHENTICATION),
  defaultLifetimeSeconds: seconds(),
  maxLifetimeSeconds: seconds(),
  onSessionExpired: optionalFn(),
  sessionKey: optionalString(),
});

const OPTIONS_FIX = "must be an object of options";

/** A schema built on its first use: bundles keep only the schemas of the factories they call. */
function lazy<S extends z.ZodMiniType>(build: () => S): () => S {
  let schema: S | undefined;
  return () => (schema ??= build());
}

export const clientCredentialsSchema = /*#__PURE__*/ lazy(() =>
  z.object(
    {
      ...tokenShape(),
      tokenUrl: z.optional(url()),
      clientId: nonEmptyString(),
      clientSecret: nonEmptyString(),
      audience: optionalString(),
      scope: z.optional(
        z.custom<string | readonly string[]>((v) => (typeof v === "string" && v.length > 0) || (Array.isArray(v) && v.every((s) => typeof s === "string" && s.length > 0)), {
          error: 'must be a space-separated string or a list of scopes, e.g. "catalog:read inventory:write"',
        }),
      ),
      extraParams: params((v) => typeof v === "string" || (typeof v === "number" && Number.isFinite(v)), "string or number", "must be a string or a finite number"),
      bodyEncoding: oneOf(ENCODINGS),
      clientAuthentication: oneOf(CLIENT_AUTHENTICATION),
      lifetimeSeconds: seconds(),
      defaultLifetimeSeconds: seconds(),
      maxLifetimeSeconds: seconds(),
    },
    { error: `${OPTIONS_FIX} such as { tokenUrl, clientId, clientSecret }` },
  ),
);

export const refreshTokenCredentialSchema = /*#__PURE__*/ lazy(() =>
  z.object(
    { ...sessionShape(), refreshToken: optionalString(), accessToken: optionalString(), expiresAt: instant() },
    { error: `${OPTIONS_FIX} such as { tokenUrl, clientId, refreshToken }` },
  ),
);

export const exchangeAuthorizationCodeSchema = /*#__PURE__*/ lazy(() =>
  z.object(
    {
      ...sessionShape(),
      code: nonEmptyString(),
      codeVerifier: optionalString(),
      redirectUri: nonEmptyString(),
      expectedState: nonEmptyString(),
      extraParams: params((v) => typeof v === "string", "string", "must be a string"),
    },
    { error: `${OPTIONS_FIX} such as { tokenUrl, clientId, code, codeVerifier, redirectUri, state, expectedState }` },
  ),
);

export const tokenProviderSchema = /*#__PURE__*/ lazy(() =>
  z.object({ ...tokenShape(), cacheKey: optionalString(), defaultLifetimeSeconds: seconds() }, { error: `${OPTIONS_FIX} such as { cacheKey, defaultLifetimeSeconds }` }),
);

export const loginSessionSchema = /*#__PURE__*/ lazy(() =>
  z.object(
    {
      token: nonEmptyString(),
      expiresAt: instant(),
      onSessionExpired: optionalFn(),
      clock: z.optional(clock()),
      expiryMarginMs: windowMs(),
    },
    { error: `${OPTIONS_FIX} such as { token, expiresAt }` },
  ),
);

/**
 * Validates a credential factory's options against its schema; throws `INVALID_OPTIONS` naming
 * the first bad option and the fix, never its value.
 * @example checkCredentialOptions("clientCredentials", clientCredentialsSchema(), options)
 */
export function checkCredentialOptions(factory: string, schema: z.ZodMiniType, options: unknown): void {
  const parsed = schema.safeParse(options);
  if (parsed.success) return;
  const { path, message } = firstIssue(parsed.error);
  throw new PorticoError("INVALID_OPTIONS", path === "" ? `Invalid ${factory} options: ${message}.` : `Invalid ${factory} option "${path}": ${message}.`, { option: path });
}
