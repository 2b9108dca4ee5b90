/**
 * Property: whatever a token endpoint answers (any status, `Date` header, content type and body:
 * JSON objects with junk members, `expires_in` of 400 digits or `1e999`, JWTs with any `exp`/`iat`,
 * non-JSON, invalid UTF-8, truncated JSON), a `clientCredentials` client either sends a token
 * whose adopted expiry is finite and in the future (and no later than the response states), or
 * ends the call in a typed `TOKEN_RESPONSE_INVALID`/`TOKEN_REFRESH_FAILED` naming the bad field,
 * with nothing sent to the API. Never an exception; never a secret in what the user can print.
 *
 * Beside it: the refresh once a token has expired (the expired token is never sent again),
 * oversized answers (over the 1 MiB read limit, any status), and access tokens HTTP cannot carry.
 *
 * The token endpoint is an in-process `Fetcher` answering `new Response(...)` (the documented
 * contract; the client's real pipeline and token manager run), plus a smaller variant over a raw
 * loopback socket with the platform's `fetch`. The clock is injected (fixed, or moved by the test).
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  PorticoError,
  clientCredentials,
  allStages, createClient,
  type ApiDescriptor,
  type Fetcher,
  type TokenErrorEvent,
  type TokenRefreshEvent,
} from "../../src/index.js";
import { canaryNeedles, causeChain, makeCanary, makeLetterCanary, printedViews } from "../support/canary.js";
import { headerText, invalidUtf8, jwtOf, rarely, rawJsonNumber, rawJsonValue, truncatedJson, utf8Bytes } from "./support/arbitraries.js";
import { Tally, checkProperty, fuzzTimeout, runsFor } from "./support/fuzz.js";
import { useRawServer } from "./support/raw-http.js";

const NOW = Date.UTC(2026, 4, 12, 10, 0, 0);
const NOW_S = NOW / 1000;
const clock = { now: () => NOW };
const TOKEN_URL = "https://auth.fuzz.test/oauth/token";
const API = "https://api.fuzz.test";

const secretCanary = makeLetterCanary();
const tokenCanary = makeCanary();
/** The client secret: letters only, with characters every encoding changes. */
const CLIENT_SECRET = `${secretCanary}/+= "\\é`;
const needles = [...canaryNeedles(secretCanary), ...canaryNeedles(tokenCanary)];

const descriptor: ApiDescriptor = {
  name: "fuzz-tokens",
  servers: [{ url: API, environment: "production" }],
  securitySchemes: { oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: TOKEN_URL } } } },
  security: [{ oauth: [] }],
  operations: { "GET /items": {} },
};

// ---------------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------------

type Echo = "raw" | "percent" | "json" | "base64";
type Member = readonly [name: string, raw: string];

type Body =
  | { readonly kind: "object"; readonly members: readonly Member[] }
  | { readonly kind: "oauth-error"; readonly error: string; readonly echo: Echo }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  | { readonly kind: "huge" };

interface TokenCase {
  readonly status: number;
  readonly date: string | undefined;
  readonly contentType: string | undefined;
  readonly body: Body;
}

const echoed = (echo: Echo, secret: string): string =>
  echo === "raw" ? secret : echo === "percent" ? encodeURIComponent(secret) : echo === "json" ? JSON.stringify(secret).slice(1, -1) : Buffer.from(secret).toString("base64");

/** A claim time (JWT `exp`/`iat`): around now, far off, or junk. */
const claimTime = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -400 * 86_400, max: 400 * 86_400 }).map((d) => String(NOW_S + d)) },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 5 }).map((d) => String(NOW_S + d)) },
  { weight: 1, arbitrary: fc.constantFrom("0", "-1", "1e20", "1e999", String(NOW_S + 0.5), String(NOW * 1000), String(NOW)) },
  { weight: 1, arbitrary: rawJsonValue },
);

const jwtToken = fc
  .record({ exp: fc.option(claimTime, { freq: 5 }), iat: fc.option(claimTime, { freq: 2 }), extra: fc.array(fc.tuple(fc.constantFrom("sub", "scope", "permissions", "tenant_id", "nbf"), rawJsonValue), { maxLength: 2 }) })
  .map(({ exp, iat, extra }) => {
    const claims: Member[] = [["jti", JSON.stringify(tokenCanary)], ...extra];
    if (exp !== null) claims.push(["exp", exp]);
    if (iat !== null) claims.push(["iat", iat]);
    return JSON.stringify(jwtOf(claims, tokenCanary));
  });

/** An access token fetch can send (visible ASCII), opaque or a JWT, or junk in its place. */
const accessToken = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(..."abcXYZ019-._~+/"), maxLength: 12 }).map((tail) => JSON.stringify(`tok_${tokenCanary}${tail}`)) },
  { weight: 5, arbitrary: jwtToken },
  { weight: 1, arbitrary: rawJsonValue },
);

const expiresAt = fc.oneof(
  fc.integer({ min: -400 * 86_400, max: 400 * 86_400 }).map((d) => String(NOW_S + d)),
  fc.integer({ min: -400 * 86_400, max: 400 * 86_400 }).map((d) => String(NOW + d * 1000)),
  fc.integer({ min: -400 * 86_400, max: 400 * 86_400 }).map((d) => JSON.stringify(new Date(NOW + d * 1000).toISOString())),
  rawJsonValue,
);

/** A member present in about `presentIn - 1` cases of `presentIn`. */
const member = <T extends string>(name: string, value: fc.Arbitrary<T>, presentIn = 2): fc.Arbitrary<Member | null> =>
  fc.option(value.map((raw): Member => [name, raw]), { freq: presentIn });

/** Mostly a well-formed value, sometimes junk: so both outcomes are explored. */
const mostly = (good: fc.Arbitrary<string>, junk: fc.Arbitrary<string> = rawJsonValue): fc.Arbitrary<string> =>
  fc.oneof({ weight: 5, arbitrary: good }, { weight: 1, arbitrary: junk });

const objectBody: fc.Arbitrary<Body> = fc
  .tuple(
    member("access_token", accessToken, 12),
    member("token_type", mostly(fc.constantFrom('"Bearer"', '"bearer"', '"BEARER"'), fc.oneof(fc.constantFrom('"mac"', '"DPoP"', '""'), rawJsonValue)), 2),
    member("expires_in", mostly(fc.integer({ min: 1, max: 200_000 }).map(String), fc.oneof(rawJsonNumber, rawJsonValue)), 2),
    rarely(expiresAt.map((raw): Member => ["expires_at", raw]), 6),
    member("refresh_token", mostly(fc.constant(JSON.stringify(`rt_${tokenCanary}`))), 4),
    member("scope", mostly(fc.constant('"read write"')), 4),
    fc.array(fc.tuple(fc.constantFrom("__proto__", "constructor", "toString", "id_token", "refresh_expires_in", "error", "x"), rawJsonValue), { maxLength: 2 }),
  )
  .map(([token, type, expiresIn, at, refresh, scope, extras]): Body => ({
    kind: "object",
    members: [...[token, type, expiresIn, at, refresh, scope].filter((m): m is Member => m !== null), ...extras],
  }));

const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 16, arbitrary: objectBody },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("oauth-error" as const), error: fc.constantFrom("invalid_client", "invalid_grant", "server_error", ""), echo: fc.constantFrom<Echo>("raw", "percent", "json", "base64") }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ kind: "text" as const, text: JSON.stringify(v) })) },
  { weight: 1, arbitrary: truncatedJson.map((text) => ({ kind: "text" as const, text })) },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constantFrom("", "<html>502</html>", "access_token=abc&expires_in=60", "null", "1e999")).map((text) => ({ kind: "text" as const, text })) },
  { weight: 1, arbitrary: invalidUtf8.map((bytes) => ({ kind: "bytes" as const, bytes })) },
);

const dateHeader = fc.option(
  fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: -2000, max: 2000 }).map((ms) => new Date(NOW + ms).toUTCString()) },
    { weight: 3, arbitrary: fc.integer({ min: -400 * 86_400, max: 400 * 86_400 }).map((s) => new Date(NOW + s * 1000).toUTCString()) },
    { weight: 1, arbitrary: fc.constantFrom("Thu, 01 Jan 1970 00:00:00 GMT", "garbage", "2", "Sat, 13 Sep 275760 00:00:00 GMT", "0", new Date(NOW).toISOString()) },
    { weight: 1, arbitrary: headerText() },
  ),
  { freq: 3 },
);

const tokenCase: fc.Arbitrary<TokenCase> = fc.record({
  status: fc.oneof(
    { weight: 14, arbitrary: fc.constant(200) },
    { weight: 1, arbitrary: fc.constantFrom(201, 203, 204, 206, 299) },
    { weight: 2, arbitrary: fc.constantFrom(400, 401, 403, 429, 500, 502, 503) },
    { weight: 1, arbitrary: fc.constantFrom(301, 302, 307) },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 599 }) },
  ),
  date: dateHeader.map((d) => d ?? undefined),
  contentType: fc
    .option(fc.oneof(fc.constantFrom("application/json", "application/json; charset=utf-8", "text/html", "application/x-www-form-urlencoded", "text/plain", "application/jwt"), headerText()), { freq: 4 })
    .map((t) => t ?? undefined),
  body,
});

// ---------------------------------------------------------------------------------------------
// Running one case, and what must hold
// ---------------------------------------------------------------------------------------------

/** Token responses over this are not read (a token response is a few kilobytes). */
const HUGE = (1 << 20) + 1;

function bodyBytes(c: TokenCase): Uint8Array {
  const b = c.body;
  switch (b.kind) {
    case "object":
      return utf8Bytes(`{${b.members.map(([name, raw]) => `${JSON.stringify(name)}:${raw}`).join(",")}}`);
    case "oauth-error":
      return utf8Bytes(JSON.stringify({ error: b.error, error_description: `client_secret ${echoed(b.echo, CLIENT_SECRET)} is not valid` }));
    case "text":
      return utf8Bytes(b.text);
    case "bytes":
      return b.bytes;
    case "huge":
      return HUGE_BODY;
  }
}

/** One oversized body for every case that needs it (building 1 MiB per case would dominate the run). */
const HUGE_BODY = utf8Bytes(`{"access_token":"tok_${tokenCanary}","pad":"${"x".repeat(HUGE)}"}`);

const NULL_BODY = new Set([204, 205, 304]);

function responseOf(c: TokenCase, bytes: Uint8Array): Response {
  const headers = new Headers();
  if (c.date !== undefined) headers.set("date", c.date);
  if (c.contentType !== undefined) headers.set("content-type", c.contentType);
  return new Response(NULL_BODY.has(c.status) ? null : (bytes as Uint8Array<ArrayBuffer>), { status: c.status, headers });
}

/** A `Date` header moved by `ms` (junk stays junk), for answers given later than `NOW`. */
function shiftedDate(date: string | undefined, ms: number): string | undefined {
  const at = date === undefined ? NaN : Date.parse(date);
  return Number.isFinite(at) && Number.isFinite(at + ms) && Math.abs(at + ms) <= 8.64e15 ? new Date(at + ms).toUTCString() : date;
}

/** The body as JSON, if it is JSON (what the oracles judge by). */
function parsedBody(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function claimsOf(token: unknown): Record<string, unknown> | undefined {
  if (typeof token !== "string") return undefined;
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8"));
    return isPlainObject(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}

/** A stated number of seconds as a server means it: numbers, numeric strings; `undefined` for other types. */
function statedSeconds(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") return Number(value);
  return undefined;
}

/** Texts of everything the user can print after the call, minus the raw `Response`. */
function leaksIn(values: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [where, value] of Object.entries(values)) {
    for (const [path, node] of causeChain(value)) {
      for (const [view, text] of printedViews(node)) {
        if (needles.some((needle) => text.includes(needle))) found.push(`${where}${path} (${view})`);
      }
    }
  }
  return found;
}

interface Outcome {
  readonly sent: readonly string[];
  readonly result: { data?: unknown; error?: PorticoError<string> | undefined; meta: unknown };
  readonly refreshes: readonly TokenRefreshEvent[];
  readonly tokenErrors: readonly TokenErrorEvent[];
  readonly printable: Record<string, unknown>;
}

/** Runs one call of a fresh client whose credential's token endpoint is `tokenFetch` (or the real fetch to `tokenUrl`). */
async function runCall(tokenUrl: string, tokenFetch: Fetcher | undefined): Promise<Outcome> {
  const sent: string[] = [];
  const refreshes: TokenRefreshEvent[] = [];
  const tokenErrors: TokenErrorEvent[] = [];
  const hookEvents: unknown[] = [];
  // One fetcher for the token endpoint and the API, as the docs show.
  const fetcher: Fetcher = async (url, init) => {
    if (url.startsWith(API)) {
      sent.push(init.headers["authorization"] ?? "(none)");
      return new Response('{"ok":true}', { status: 200, headers: { "content-type": "application/json" } });
    }
    if (tokenFetch === undefined) throw new Error(`unexpected request to ${url}`);
    return tokenFetch(url, init);
  };
  const credential = clientCredentials({
    tokenUrl,
    clientId: "fuzz-client",
    clientSecret: CLIENT_SECRET,
    clock,
    ...(tokenFetch !== undefined ? { fetcher } : {}),
    hooks: { onTokenRefresh: (e) => void refreshes.push(e), onTokenError: (e) => void tokenErrors.push(e) },
  });
  const client = createClient(descriptor, {
    baseUrl: API,
    auth: credential,
    fetcher,
    retry: false,
    hooks: { onRequest: (e) => void hookEvents.push(e), onError: (e) => void hookEvents.push(e) },
  }, allStages);
  let result: Outcome["result"];
  try {
    result = (await client.GET("/items" as never)) as Outcome["result"];
  } catch (thrown) {
    throw new Error(`the call threw instead of returning { error }: ${inspect(thrown)}`);
  }
  const { error, meta } = result;
  return { sent, result, refreshes, tokenErrors, printable: { error, meta, refreshes, tokenErrors, hookEvents, credential, client } };
}

/** Everything that must hold for one case, given the bytes the endpoint answered with. */
function check(c: TokenCase, bytes: Uint8Array, outcome: Outcome, tally?: Tally): void {
  const { sent, result, refreshes } = outcome;
  const parsed = c.body.kind === "huge" || NULL_BODY.has(c.status) ? undefined : parsedBody(bytes);
  const object = isPlainObject(parsed) ? parsed : undefined;
  const ok = c.status >= 200 && c.status < 300;
  const serverDate = c.date === undefined ? NaN : Date.parse(c.date);
  const claims = claimsOf(object?.["access_token"]);
  const exp = typeof claims?.["exp"] === "number" && Number.isFinite(claims["exp"]) ? claims["exp"] : undefined;
  const statedIn = object !== undefined && object["expires_in"] !== undefined && object["expires_in"] !== null ? statedSeconds(object["expires_in"]) : undefined;

  expect(leaksIn(outcome.printable), "a secret in what the user can print").toEqual([]);
  tally?.add(result.error === undefined ? "tokens sent" : result.error.code);
  if (exp !== undefined && Number.isFinite(serverDate) && exp * 1000 <= serverDate - 2000) tally?.add("JWTs expired by the server's Date");

  if (result.error === undefined) {
    // A usable token: exactly the one the endpoint issued, sent once.
    expect(ok, "a token adopted from a non-2xx answer").toBe(true);
    expect(sent).toEqual([`Bearer ${String(object?.["access_token"])}`]);
    expect(refreshes).toHaveLength(1);
    const { expiresAt } = refreshes[0] as TokenRefreshEvent;
    expect(Number.isFinite(expiresAt), "expiry is finite").toBe(true);
    expect(expiresAt, "expiry is in the future").toBeGreaterThan(NOW);
    if (statedIn !== undefined) {
      expect(Number.isFinite(statedIn) && statedIn > 0, `expires_in ${String(object?.["expires_in"])} accepted`).toBe(true);
      // (1 ms for float rounding: NOW is ~1.8e12.)
      expect(expiresAt - NOW, "no longer than expires_in says").toBeLessThanOrEqual(statedIn * 1000 + 1);
    }
    if (exp !== undefined && Number.isFinite(serverDate)) {
      // By the server's own clock (its Date header), the JWT had not expired, and is not kept past its exp.
      expect(exp * 1000, "a JWT already expired by the server's Date was sent").toBeGreaterThan(serverDate - 2000);
      expect(expiresAt, "kept past the JWT's exp").toBeLessThanOrEqual(NOW + (exp * 1000 - serverDate) + 2000);
    }
    return;
  }

  const error = result.error;
  expect(sent, "a request went to the API although the token failed").toEqual([]);
  expect(error).toBeInstanceOf(PorticoError);
  expect(["TOKEN_RESPONSE_INVALID", "TOKEN_REFRESH_FAILED"]).toContain(error.code);
  if (!ok) expect(error.code).toBe("TOKEN_REFRESH_FAILED");
  if (error.code === "TOKEN_RESPONSE_INVALID" && ok && object !== undefined) {
    // A JSON object with a bad member: the error names it (never its value).
    const field = error.details["field"];
    expect(typeof field, `no field named in "${error.message}"`).toBe("string");
    expect(error.message).toContain(`"${String(field)}"`);
    expect(["access_token", "exp", ...Object.keys(object)]).toContain(String(field).split(".")[0]);
  }
}

// ---------------------------------------------------------------------------------------------

describe("token responses (property)", () => {
  it(
    "any answer of a token endpoint: a usable, unexpired token, or a typed error naming the field; never a throw or a secret",
    async () => {
      const tally = new Tally();
      await checkProperty(
        "token responses",
        fc.asyncProperty(tokenCase, async (c) => {
          const bytes = bodyBytes(c);
          const outcome = await runCall(TOKEN_URL, async () => responseOf(c, bytes));
          check(c, bytes, outcome, tally);
        }),
        undefined,
        tally,
      );
    },
    fuzzTimeout(5),
  );

  it(
    "after the token expired, any answer to the refresh: the new token, or a typed error; the expired one is never sent again",
    async () => {
      const tally = new Tally();
      const refreshCase = fc.record({ lifetime: fc.integer({ min: 2, max: 86_400 }), late: fc.integer({ min: 0, max: 86_400_000 }), answer: tokenCase });
      await checkProperty(
        "token responses: refresh after expiry",
        fc.asyncProperty(refreshCase, async ({ lifetime, late, answer }) => {
          let now = NOW;
          const moving = { now: () => now };
          const first = `tok_first_${tokenCanary}`;
          let tokenRequests = 0;
          const sent: string[] = [];
          const bytes = bodyBytes(answer);
          const fetcher: Fetcher = async (url, init) => {
            if (url.startsWith(API)) {
              sent.push(init.headers["authorization"] ?? "(none)");
              return new Response('{"ok":true}', { status: 200, headers: { "content-type": "application/json" } });
            }
            tokenRequests += 1;
            return tokenRequests === 1
              ? new Response(JSON.stringify({ access_token: first, token_type: "Bearer", expires_in: lifetime }), { status: 200, headers: { "content-type": "application/json" } })
              : responseOf({ ...answer, date: shiftedDate(answer.date, now - NOW) }, bytes);
          };
          const credential = clientCredentials({ tokenUrl: TOKEN_URL, clientId: "fuzz-client", clientSecret: CLIENT_SECRET, clock: moving, fetcher });
          const client = createClient(descriptor, { baseUrl: API, auth: credential, fetcher, retry: false }, allStages);
          const get = (): Promise<{ error?: PorticoError<string> }> => client.GET("/items" as never) as Promise<{ error?: PorticoError<string> }>;
          expect((await get()).error).toBeUndefined();
          expect(sent).toEqual([`Bearer ${first}`]);
          now += lifetime * 1000 + late; // expired, by a little or a lot
          let second;
          try {
            second = await get();
          } catch (thrown) {
            throw new Error(`the call threw: ${inspect(thrown)}`);
          }
          expect(tokenRequests, "no refresh was asked for").toBe(2);
          expect(sent.slice(1), "the expired token was sent again").not.toContain(`Bearer ${first}`);
          if (second.error === undefined) {
            expect(sent).toHaveLength(2);
            tally.add("refreshed");
          } else {
            expect(["TOKEN_RESPONSE_INVALID", "TOKEN_REFRESH_FAILED"]).toContain(second.error.code);
            expect(sent, "a request went out with no usable token").toHaveLength(1);
            tally.add(second.error.code);
          }
        }),
        undefined,
        tally,
      );
    },
    fuzzTimeout(5),
  );

  it(
    "an oversized answer (over the 1 MiB read limit): the same rules, whatever the status",
    async () => {
      const oversized = tokenCase.map((c): TokenCase => ({ ...c, body: { kind: "huge" } }));
      await checkProperty(
        "token responses: oversized bodies",
        fc.asyncProperty(oversized, async (c) => {
          const bytes = bodyBytes(c);
          check(c, bytes, await runCall(TOKEN_URL, async () => responseOf(c, bytes)));
        }),
      );
    },
    fuzzTimeout(5),
  );

  it(
    "an access token HTTP cannot carry (a line break, NUL, a character outside Latin-1) is an invalid token response",
    async () => {
      const unsendable = fc
        .tuple(fc.string({ maxLength: 8 }), fc.constantFrom("\n", "\r\n", "\0", "€", "😀", "Ā"), fc.string({ maxLength: 8 }))
        .map(([a, bad, b]) => `tok_${a}${bad}${b}`);
      await checkProperty(
        "token responses: unsendable access tokens",
        fc.asyncProperty(unsendable, async (token) => {
          const c: TokenCase = { status: 200, date: undefined, contentType: "application/json", body: { kind: "object", members: [["access_token", JSON.stringify(token)], ["expires_in", "3600"]] } };
          const bytes = bodyBytes(c);
          const outcome = await runCall(TOKEN_URL, async () => responseOf(c, bytes));
          expect(outcome.sent).toEqual([]);
          expect(outcome.result.error).toMatchObject({ code: "TOKEN_RESPONSE_INVALID", details: { field: "access_token" } });
        }),
      );
    },
    fuzzTimeout(5),
  );

  describe("over a loopback socket, with the platform's fetch", () => {
    const rawServer = useRawServer();

    it(
      "the same property, the answer written byte for byte (lying lengths and encodings too)",
      async () => {
        const server = rawServer();
        const lie = rarely(
          fc.constantFrom<ReadonlyArray<readonly [string, string]>>(
            [["content-encoding", "gzip"]],
            [["content-encoding", "br"]],
            [["content-encoding", "deflate, gzip"]],
            [["content-length", "0"]],
            [["content-length", "3"]],
            [["transfer-encoding", "chunked"]],
            [["content-type", "application/json"], ["content-type", "text/html"]],
          ),
          3,
        );
        const runs = runsFor(1 / 20);
        const tally = new Tally();
        await checkProperty(
          "token responses over a loopback socket",
          fc.asyncProperty(tokenCase.filter((c) => c.status !== 101), lie, async (c, extra) => {
            const bytes = bodyBytes(c);
            const headers: Array<readonly [string, string]> = [];
            if (c.date !== undefined) headers.push(["date", c.date]);
            if (c.contentType !== undefined) headers.push(["content-type", c.contentType]);
            headers.push(...(extra ?? []));
            server.answerWith({ status: c.status, headers, body: NULL_BODY.has(c.status) ? new Uint8Array() : bytes });
            const outcome = await runCall(`${server.url}/oauth/token`, undefined);
            // With a lie on the wire, what arrived is not `bytes`: only the outcome-independent rules apply.
            if (extra === null) check(c, bytes, outcome, tally);
            else {
              tally.add(`lies: ${outcome.result.error?.code ?? "tokens sent"}`);
              expect(leaksIn(outcome.printable)).toEqual([]);
              if (outcome.result.error !== undefined) {
                expect(outcome.sent).toEqual([]);
                expect(["TOKEN_RESPONSE_INVALID", "TOKEN_REFRESH_FAILED"]).toContain(outcome.result.error.code);
              }
            }
          }),
          runs,
          tally,
        );
      },
      fuzzTimeout(40, runsFor(1 / 20)),
    );
  });
});
