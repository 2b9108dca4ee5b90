/**
 * The canary scan: a canary secret in every credential kind (`apiKey`, `bearerToken` static and
 * function, `basicAuth`, `clientCredentials`, `refreshTokenCredential`,
 * `exchangeAuthorizationCode`, `tokenProvider`, `loginSession`, `none`), each driven through the
 * error paths a user meets: a fetcher that throws an error carrying the request (as axios and got
 * errors do), timeouts, 401/403/500/502 answers echoing the secret raw, percent-encoded,
 * JSON-escaped and base64-encoded (in the body, `error_description` and headers), token endpoint
 * failures and invalid token responses, conflicts, environment mismatches, ended sessions, and
 * secrets in a failing token source's own error. Then everything the user got is printed every
 * way: `String`, `JSON.stringify`, `util.inspect` (default, and depth Infinity with showHidden),
 * `structuredClone`, `message`, `stack`, the `cause` chain, `console.log`/`console.error`/
 * `console.dir` output; errors (returned and thrown), results' `meta`, hook events (kept and read
 * after the calls, as a buffered logger would), the clients and the credentials. No canary may
 * appear, whole, in part (24+ characters) or base64-encoded.
 *
 * Two canary shapes run the whole matrix: hex (`makeCanary`, digits and letters, as keys are) and
 * letters only (`makeLetterCanary`, as passphrases are: a "looks like a key" rule misses them).
 * Secrets carry characters every encoding changes (`"`, `\`, `/`, `+`, `=`, space, `é`) where
 * that kind of secret may hold them (passwords, client secrets).
 *
 * What the server sent stays the server's: a result's `response` and an `onResponse` event's
 * `response` are raw `Response` objects and are not scanned. (`ApiError.body` does not arise here:
 * these descriptors declare no error bodies; it is covered in `api-responses.test.ts`.)
 *
 * In-process fetchers (the documented `Fetcher` contract; the real pipeline runs), an injected
 * clock, timeouts reached by waiting on the attempt's abort signal: nothing here depends on timing.
 *
 * Relation to `test/auth/canary.test.ts` (its helpers `createCanaryScanner`/`makeCanary` are
 * reused here, extended with an opt-in deep mode): that file drives the promise over loopback
 * servers (a real token endpoint signing JWTs, a real API) with whole-canary matching and default
 * `util.inspect`. This scan supersedes its first test ("through every error path, hook,
 * serialization and log") and its onRequest-event, axios-like-fetcher-error and
 * percent-encoded-`error_description` tests, which it runs for every kind, with the deep views
 * and both canary shapes. Not covered here, so kept there: the 600-tenant redaction test, and
 * the loopback transport itself.
 */
import { describe, expect, it } from "vitest";
import {
  PorticoError,
  apiKey,
  basicAuth,
  bearerToken,
  clientCredentials,
  exchangeAuthorizationCode,
  loginSession,
  none,
  refreshTokenCredential,
  tokenProvider,
  type ApiDescriptor,
  type ClientHooks,
  type Credential,
  type TokenHooks,
} from "../../src/index.js";
import { arrotech, atlas, clientFor, erip, ims, type TestClient } from "../support/apis.js";
import { createCanaryScanner, makeCanary, makeLetterCanary } from "../support/canary.js";
import { movableClock, START } from "../support/clock.js";
import { TOKEN_URL, createWorld, type ApiMode, type TokenMode, type World } from "./support/echo-world.js";

const HOSTS = {
  ims: "https://api.atrope.dev",
  erip: "https://api.erip.io",
  arrotech: "https://prod.api.arrotechsolutions.com",
  atlas: "https://api.atlas-softpos.com",
} as const;

const basicSpec: ApiDescriptor = {
  ...erip,
  name: "basic",
  securitySchemes: { basic: { type: "http", scheme: "basic" } },
  security: [{ basic: [] }],
  operations: {},
};

/** Everything a run produced that a user could print, and the calls that produce it. */
function createRun() {
  const errors: Array<{ where: string; error: unknown }> = [];
  const metas: unknown[] = [];
  const events: unknown[] = [];
  const clients: TestClient[] = [];
  const credentials: Credential[] = [];
  const keep = (event: unknown): void => {
    if (typeof event !== "object" || event === null) return void events.push(event);
    // A raw Response is the server's: not scanned.
    const { response: _response, ...rest } = event as Record<string, unknown>;
    events.push(rest);
  };
  const hooks: ClientHooks = { onRequest: keep, onResponse: keep, onRetry: keep, onError: keep, onCredits: (c, e) => keep({ c, e }), onRateLimit: (r, e) => keep({ r, e }) };
  const tokenHooks: TokenHooks = { onTokenRefresh: keep, onTokenError: keep };
  return {
    errors,
    metas,
    events,
    clients,
    credentials,
    hooks,
    tokenHooks,
    keep,
    credential<C extends Credential>(credential: C): C {
      credentials.push(credential);
      return credential;
    },
    client(descriptor: ApiDescriptor, options: Parameters<typeof clientFor>[1]): TestClient {
      const client = clientFor(descriptor, { hooks, ...options });
      clients.push(client);
      return client;
    },
    /** Runs a call or a construction; keeps what it returned or threw; returns the error. */
    async expectError(where: string, work: () => unknown): Promise<PorticoError<string> | undefined> {
      try {
        const result = (await work()) as { error?: unknown; meta?: unknown } | undefined;
        if (result?.meta !== undefined) metas.push(result.meta);
        if (result?.error !== undefined) errors.push({ where, error: result.error });
        return result?.error as PorticoError<string> | undefined;
      } catch (thrown) {
        errors.push({ where, error: thrown });
        return thrown as PorticoError<string>;
      }
    },
  };
}
type Run = ReturnType<typeof createRun>;

/** A credential in use: the client built around it, and how to build more clients for it. */
interface InUse {
  readonly descriptor: ApiDescriptor;
  readonly baseUrl: string;
  readonly credential: Credential;
  readonly path: string;
  /** The credential fetches tokens from `TOKEN_URL` (so the token-endpoint scenarios apply). */
  readonly tokenFetching: boolean;
  /** The header a caller could set as well, for the conflict scenario (none for `none()`). */
  readonly header?: string;
}

/** One credential kind: how it is built around fresh canaries, and the scenarios only it has. */
interface Kind {
  readonly name: string;
  /** API scenarios whose outcome differs for this kind (and which its `extra` covers). */
  readonly skipApi?: readonly ApiMode[];
  setup(ctx: Context): Promise<InUse>;
  /** Expired sessions, failing token sources, environment rails, factory refusals. */
  extra?(ctx: Context, inUse: InUse & { readonly client: TestClient }): Promise<void>;
}

interface Context {
  readonly run: Run;
  readonly world: World;
  readonly clock: ReturnType<typeof movableClock>;
  readonly canary: () => string;
}

/** Makes a credential's token source fail from then on (kept beside the credential). */
const failSwitches = new WeakMap<Credential, () => void>();

/** The options each exchanged credential was made with (kept beside it, not on it: it would print them). */
const exchanges = new WeakMap<Credential, Omit<Parameters<typeof exchangeAuthorizationCode>[0], "state">>();

const SPECIALS = ` "\\/+=é`;

const KINDS: Kind[] = [
  {
    name: "apiKey",
    async setup({ run, canary }) {
      return { descriptor: erip, baseUrl: HOSTS.erip, credential: run.credential(apiKey(`erip_${canary()}`)), path: "/v1/companies/search", tokenFetching: false, header: "x-api-key" };
    },
    async extra({ run, world, canary }, { path }) {
      // A test key against production (thrown at construction); a key rotated on a live client, then echoed.
      expect(await run.expectError("apiKey test key vs production", () => run.client(atlas, { baseUrl: HOSTS.atlas, auth: apiKey(`sk_test_${canary()}`), fetcher: world.fetcher }))).toMatchObject({ code: "ENVIRONMENT_MISMATCH" });
      const rotating = run.credential(apiKey(`erip_${canary()}`));
      const rotated = run.client(erip, { baseUrl: HOSTS.erip, auth: rotating, fetcher: world.fetcher });
      expect(await run.expectError("apiKey before rotation", () => rotated.GET(path))).toBeUndefined();
      rotating.rotate(`erip_${canary()}`);
      world.api = 500;
      expect(await run.expectError("apiKey rotated, 500 echo", () => rotated.GET(path))).toMatchObject({ status: 500 });
      world.api = "ok";
      expect(await run.expectError("apiKey bad header option", () => apiKey(`erip_${canary()}`, { header: `X Key ${canary()}` }))).toMatchObject({ code: "INVALID_OPTIONS" });
    },
  },
  {
    name: "bearerToken (static)",
    async setup({ run, canary }) {
      return { descriptor: arrotech, baseUrl: HOSTS.arrotech, credential: run.credential(bearerToken(`tok_${canary()}.-_~+/=`)), path: "/chat/providers", tokenFetching: false, header: "authorization" };
    },
  },
  {
    name: "bearerToken (function)",
    async setup({ run, canary }) {
      const first = `tok_${canary()}.-_~+/=`;
      let failing = false;
      const credential = run.credential(
        bearerToken(async () => {
          // A vault that fails later names the token it handed out before.
          if (failing) throw new Error(`vault: lease of ${first} expired; renew ${first}`);
          return first;
        }),
      );
      failSwitches.set(credential, () => void (failing = true));
      return { descriptor: arrotech, baseUrl: HOSTS.arrotech, credential, path: "/chat/providers", tokenFetching: false, header: "authorization" };
    },
    async extra({ run, world, canary }, { client, path, credential }) {
      failSwitches.get(credential)?.();
      expect(await run.expectError("bearer fn throws naming its previous token", () => client.GET(path))).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });
      // The first value a function returns is checked too: a sandbox token sent to production.
      const sandbox = run.credential(bearerToken(() => `cs_test_${canary()}`));
      expect(await run.expectError("bearer fn test token vs production", () => run.client(atlas, { baseUrl: HOSTS.atlas, auth: sandbox, fetcher: world.fetcher }).GET("/v1/device/health"))).toMatchObject({
        code: "ENVIRONMENT_MISMATCH",
      });
    },
  },
  {
    name: "basicAuth",
    async setup({ run, canary }) {
      return { descriptor: basicSpec, baseUrl: HOSTS.erip, credential: run.credential(basicAuth("svc-user", `pw ${canary()}${SPECIALS}`)), path: "/v1/companies/search", tokenFetching: false, header: "authorization" };
    },
    async extra({ run, canary }) {
      expect(await run.expectError("basicAuth user with a colon", () => basicAuth(`user:${canary()}`, "x"))).toMatchObject({ code: "INVALID_OPTIONS" });
    },
  },
  {
    name: "clientCredentials",
    async setup({ run, world, clock, canary }) {
      const credential = run.credential(
        clientCredentials({ tokenUrl: TOKEN_URL, clientId: "svc", clientSecret: `cs_${canary()}${SPECIALS}`, clock, fetcher: world.fetcher, hooks: run.tokenHooks, timeoutMs: 1 }),
      );
      return { descriptor: ims, baseUrl: HOSTS.ims, credential, path: "/v1/items", tokenFetching: true, header: "authorization" };
    },
    async extra({ run, world, clock, canary }) {
      // JSON-encoded requests and client_secret_basic, refused with the secret echoed.
      for (const variant of [{ bodyEncoding: "json" as const }, { clientAuthentication: "client_secret_basic" as const }]) {
        world.token = "oauth-error";
        const credential = run.credential(clientCredentials({ tokenUrl: TOKEN_URL, clientId: "svc", clientSecret: `cs_${canary()}${SPECIALS}`, clock, fetcher: world.fetcher, hooks: run.tokenHooks, ...variant }));
        expect(await run.expectError(`clientCredentials ${JSON.stringify(variant)} refused`, () => run.client(ims, { baseUrl: HOSTS.ims, auth: credential, fetcher: world.fetcher }).GET("/v1/items"))).toMatchObject({
          code: "TOKEN_REFRESH_FAILED",
        });
        world.token = "ok";
      }
      // A sandbox client secret against production; a reserved parameter holding the secret.
      expect(
        await run.expectError("clientCredentials sandbox secret vs production", () =>
          run.client(atlas, { baseUrl: HOSTS.atlas, auth: clientCredentials({ tokenUrl: TOKEN_URL, clientId: "svc", clientSecret: `cs_test_${canary()}`, fetcher: world.fetcher }), fetcher: world.fetcher }),
        ),
      ).toMatchObject({ code: "ENVIRONMENT_MISMATCH" });
      expect(
        await run.expectError("clientCredentials secret in extraParams", () => clientCredentials({ tokenUrl: TOKEN_URL, clientId: "svc", clientSecret: "x", extraParams: { client_secret: `cs_${canary()}` } })),
      ).toMatchObject({ code: "INVALID_OPTIONS" });
    },
  },
  {
    name: "refreshTokenCredential",
    async setup({ run, world, clock, canary }) {
      const credential = run.credential(
        refreshTokenCredential({ tokenUrl: TOKEN_URL, clientId: "app", clientSecret: `app_${canary()}${SPECIALS}`, refreshToken: `rt_${canary()}`, clock, fetcher: world.fetcher, hooks: run.tokenHooks, timeoutMs: 1 }),
      );
      return { descriptor: arrotech, baseUrl: HOSTS.arrotech, credential, path: "/chat/providers", tokenFetching: true, header: "authorization" };
    },
  },
  {
    name: "exchangeAuthorizationCode",
    async setup({ run, world, clock, canary }) {
      const exchange = {
        tokenUrl: TOKEN_URL,
        clientId: "app",
        redirectUri: "https://app.test/cb",
        expectedState: "s1",
        clock,
        fetcher: world.fetcher,
        hooks: run.tokenHooks,
        clientSecret: `app_${canary()}${SPECIALS}`,
        code: `code_${canary()}`,
        codeVerifier: `v_${canary()}-._~`,
      };
      const credential = run.credential(await exchangeAuthorizationCode({ ...exchange, state: "s1", timeoutMs: 1 }));
      exchanges.set(credential, exchange);
      return { descriptor: arrotech, baseUrl: HOSTS.arrotech, credential, path: "/chat/providers", tokenFetching: true, header: "authorization" };
    },
    async extra({ run, world, canary }, { credential }) {
      const exchange = exchanges.get(credential) as Omit<Parameters<typeof exchangeAuthorizationCode>[0], "state">;
      // The exchange itself failing, every way the token endpoint can.
      for (const mode of ["oauth-error", 500, "invalid", "html", "throw"] as const) {
        world.token = mode;
        expect(await run.expectError(`exchange, token endpoint ${mode}`, () => exchangeAuthorizationCode({ ...exchange, state: "s1" })), `exchange with ${mode}`).toBeInstanceOf(PorticoError);
      }
      world.token = "ok";
      expect(await run.expectError("exchange, state mismatch", () => exchangeAuthorizationCode({ ...exchange, state: `s2-${canary()}` }))).toMatchObject({ code: "STATE_MISMATCH" });
    },
  },
  {
    name: "tokenProvider",
    async setup({ run, clock, canary }) {
      const handedOut = `tp_${canary()}`;
      let failing = false;
      const credential = run.credential(
        tokenProvider(
          async () => {
            // A sidecar that fails later names the token it handed out before.
            if (failing) throw new Error(`sidecar: lease of ${handedOut} expired; renew ${handedOut}`);
            return { accessToken: handedOut, expiresIn: 600 };
          },
          { clock, hooks: run.tokenHooks },
        ),
      );
      failSwitches.set(credential, () => void (failing = true));
      return { descriptor: ims, baseUrl: HOSTS.ims, credential, path: "/v1/items", tokenFetching: false, header: "authorization" };
    },
    async extra({ run, world, clock }, { client, path, credential }) {
      failSwitches.get(credential)?.();
      clock.advance(601_000);
      expect(await run.expectError("provider throws naming its previous token", () => client.GET(path))).toMatchObject({ code: "TOKEN_REFRESH_FAILED" });
      const bad = run.credential(tokenProvider(async () => ({ accessToken: "tp_short_lived", expiresIn: -5 }), { clock, hooks: run.tokenHooks }));
      expect(await run.expectError("provider result invalid", () => run.client(ims, { baseUrl: HOSTS.ims, auth: bad, fetcher: world.fetcher }).GET(path))).toMatchObject({ code: "TOKEN_RESPONSE_INVALID" });
    },
  },
  {
    name: "loginSession",
    // A 401 ends a login session: its own scenario below.
    skipApi: [401],
    async setup({ run, clock, canary }) {
      const credential = run.credential(loginSession({ token: `sess_${canary()}`, expiresAt: clock.now() + 3_600_000, clock, onSessionExpired: run.keep }));
      return { descriptor: erip, baseUrl: HOSTS.erip, credential, path: "/v1/tenant/credits", tokenFetching: false, header: "authorization" };
    },
    async extra({ run, world, clock, canary }, { path }) {
      const session = run.credential(loginSession({ token: `sess_${canary()}`, expiresAt: clock.now() + 3_600_000, clock, onSessionExpired: run.keep }));
      const client = run.client(erip, { baseUrl: HOSTS.erip, auth: session, fetcher: world.fetcher });
      world.api = 401;
      expect(await run.expectError("session refused by the API", () => client.GET(path))).toMatchObject({ status: 401 });
      world.api = "ok";
      expect(await run.expectError("session ended after a 401", () => client.GET(path))).toMatchObject({ code: "SESSION_EXPIRED" });
      const expired = run.credential(loginSession({ token: `sess_${canary()}`, expiresAt: clock.now() - 1000, clock, onSessionExpired: run.keep }));
      expect(await run.expectError("session expired", () => run.client(erip, { baseUrl: HOSTS.erip, auth: expired, fetcher: world.fetcher }).GET(path))).toMatchObject({ code: "SESSION_EXPIRED" });
      expect(await run.expectError("loginSession without an end", () => loginSession({ token: `sess_${canary()}` }))).toMatchObject({ code: "INVALID_OPTIONS" });
    },
  },
  {
    name: "none",
    async setup() {
      // Loopback is a sandbox: `none()` is allowed there.
      return { descriptor: erip, baseUrl: "http://127.0.0.1:9", credential: none(), path: "/v1/companies/search", tokenFetching: false };
    },
    async extra({ run, world }) {
      expect(await run.expectError("none vs production", () => run.client(erip, { baseUrl: HOSTS.erip, auth: none(), fetcher: world.fetcher }))).toMatchObject({ code: "ENVIRONMENT_MISMATCH" });
    },
  },
];

/** The API-side scenarios every kind goes through, and the SDK code (or status) each must end in. */
const API_SCENARIOS: ReadonlyArray<{ mode: ApiMode; want: { code?: string; status?: number } }> = [
  { mode: 401, want: { status: 401 } },
  { mode: 403, want: { status: 403 } },
  { mode: 500, want: { status: 500 } },
  { mode: "html", want: { status: 502 } },
  { mode: "throw", want: { code: "NETWORK_ERROR" } },
  { mode: "hang", want: { code: "TIMEOUT" } },
];

/** The token-endpoint scenarios every token-fetching kind goes through (on a fresh credential each). */
const TOKEN_SCENARIOS: ReadonlyArray<{ mode: TokenMode; want: string }> = [
  { mode: "oauth-error", want: "TOKEN_REFRESH_FAILED" },
  { mode: "invalid-grant", want: "" },
  { mode: 500, want: "TOKEN_REFRESH_FAILED" },
  { mode: "invalid", want: "TOKEN_RESPONSE_INVALID" },
  { mode: "html", want: "TOKEN_RESPONSE_INVALID" },
  { mode: "throw", want: "TOKEN_REFRESH_FAILED" },
  { mode: "hang", want: "TOKEN_REFRESH_FAILED" },
];

describe.each([
  { shape: "hex", make: makeCanary },
  { shape: "letters only", make: makeLetterCanary },
])("the canary scan ($shape canaries)", ({ make }) => {
  const canaries: string[] = [];
  const canary = (): string => {
    const c = make();
    canaries.push(c);
    return c;
  };
  const issued = { access: `at_${canary()}`, refresh: `rt2_${canary()}` };

  it.each(KINDS.map((kind) => [kind.name, kind] as const))("%s: no canary in any error, result, event, client or credential, however printed", async (_name, kind) => {
    const run = createRun();
    const world = createWorld(issued);
    const clock = movableClock(START);
    const ctx: Context = { run, world, clock, canary };
    const inUse = await kind.setup(ctx);
    const { descriptor, baseUrl, credential, path } = inUse;
    const client = run.client(descriptor, { baseUrl, auth: credential, fetcher: world.fetcher });

    // The working path first (events, meta), then every API failure.
    expect(await run.expectError("ok", () => client.GET(path))).toBeUndefined();
    for (const { mode, want } of API_SCENARIOS) {
      if (kind.skipApi?.includes(mode)) continue;
      world.api = mode;
      const error = await run.expectError(`API ${mode}`, () => client.GET(path, mode === "hang" ? { timeout: 1 } : {}));
      expect(error, `API ${mode}`).toMatchObject(want);
    }
    // Thrown instead of returned.
    world.api = 500;
    const throwing = run.client(descriptor, { baseUrl, auth: credential, fetcher: world.fetcher, throwOnError: true });
    expect(await run.expectError("API 500, throwOnError", () => throwing.GET(path))).toMatchObject({ status: 500 });
    world.api = "ok";
    // The caller sets the credential's header too. (No hooks on this client: an onRequest hook is
    // shown the headers the caller set, by design, before the conflict is found.)
    if (inUse.header !== undefined) {
      const plain = run.client(descriptor, { baseUrl, auth: credential, fetcher: world.fetcher, hooks: {} });
      const value = inUse.header === "authorization" ? `Bearer tok_${canary()}` : `erip_${canary()}`;
      expect(await run.expectError("conflict", () => plain.GET(path, { headers: { [inUse.header as string]: value } }))).toMatchObject({ code: "CREDENTIAL_CONFLICT" });
    }

    // Token endpoint failures, each on a fresh credential (a cached token would hide them).
    if (inUse.tokenFetching) {
      for (const { mode, want } of TOKEN_SCENARIOS) {
        const fresh = await kind.setup(ctx);
        // Past the 600 s lifetime of any token already held (an exchange's): the next call asks the endpoint.
        ctx.clock.advance(601_000);
        world.token = mode;
        const error = await run.expectError(`token endpoint ${mode}`, () => run.client(fresh.descriptor, { baseUrl: fresh.baseUrl, auth: fresh.credential, fetcher: world.fetcher }).GET(fresh.path));
        world.token = "ok";
        expect(error, `token endpoint ${mode}`).toBeInstanceOf(PorticoError);
        if (want !== "") expect(error?.code, `token endpoint ${mode}`).toBe(want);
      }
    }
    await kind.extra?.(ctx, { ...inUse, client });

    // Print everything, every way, as a user would; then scan it all.
    const scanner = createCanaryScanner(canaries, { deep: true });
    const restoreConsole = scanner.captureConsole();
    try {
    for (const { where, error } of run.errors) {
      scanner.scan(error, `${kind.name}: error of "${where}"`);
      console.error(error);
      console.log("%o", error);
    }
    run.metas.forEach((meta, i) => scanner.scan(meta, `${kind.name}: meta #${i}`));
    run.events.forEach((event, i) => scanner.scan(event, `${kind.name}: hook event #${i}`));
    run.clients.forEach((c, i) => scanner.scan(c, `${kind.name}: client #${i}`));
    run.credentials.forEach((c, i) => scanner.scan(c, `${kind.name}: credential #${i}`));
    scanner.scan({ errors: run.errors, metas: run.metas, events: run.events, clients: run.clients, credentials: run.credentials }, `${kind.name}: everything at once`);
    // console.dir inspects without custom inspectors: the clients' and credentials' insides.
    for (const value of [...run.clients, ...run.credentials, ...run.events, ...run.metas]) console.dir(value, { depth: Infinity, showHidden: true });
    console.log(run.clients, run.credentials, run.events, run.metas);
    } finally {
      restoreConsole();
    }

    expect(run.errors.length).toBeGreaterThanOrEqual(API_SCENARIOS.length - (kind.skipApi?.length ?? 0));
    expect(scanner.scanned).toBeGreaterThan(run.errors.length * 4);
    if (scanner.leaks.length > 0) {
      const byPlace = new Map<string, string>();
      for (const leak of scanner.leaks) byPlace.set(`${leak.where} (${leak.view})`, leak.excerpt ?? "");
      throw new Error(`${byPlace.size} leaks:\n${[...byPlace].map(([place, excerpt]) => `- ${place}: …${JSON.stringify(excerpt)}…`).join("\n")}`);
    }
  });
});

describe("the deep scanner", () => {
  it("finds a canary whole, in part, base64-encoded at any alignment, in a cause, a hidden property, a clone or console output (so the scan can fail)", () => {
    const canary = makeLetterCanary();
    const found = (value: unknown): string[] => {
      const probe = createCanaryScanner([canary], { deep: true });
      probe.scan(value, "probe");
      return probe.leaks.map((leak) => leak.view);
    };
    expect(found(new PorticoError("INVALID_OPTIONS", `leaked ${canary}`))).toEqual(expect.arrayContaining(["message", "stack", "JSON.stringify"]));
    expect(found({ part: canary.slice(3, 30) })).toContain("JSON.stringify");
    for (const pad of ["", "x", "xy"]) expect(found({ b64: Buffer.from(`${pad}${canary}`).toString("base64") })).toContain("JSON.stringify");
    expect(found(new Error("outer", { cause: new Error(`inner ${canary}`) }))).toContain("cause.cause");
    const hidden = {};
    Object.defineProperty(hidden, "secret", { value: canary, enumerable: false });
    expect(found(hidden)).toEqual(["util.inspect(showHidden)"]);
    const probe = createCanaryScanner([canary], { deep: true });
    const restore = probe.captureConsole();
    try {
      console.log("%o", hidden);
      console.dir({ toString: () => "x", [Symbol.for("nodejs.util.inspect.custom")]: () => "custom", inner: canary });
    } finally {
      restore();
    }
    expect(probe.leaks.map((leak) => leak.where)).toEqual(["console.log", "console.dir"]);
    expect(found({ unrelated: makeLetterCanary() })).toEqual([]);
  });
});
