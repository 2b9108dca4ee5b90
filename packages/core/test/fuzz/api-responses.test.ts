/**
 * Property: whatever an API answers (any status from 100 to 599, malformed `Retry-After`,
 * `RateLimit`/`RateLimit-Policy`, `X-RateLimit-*`, `X-Credits-*`, lying `content-type`,
 * `content-encoding` and `content-length`, redirects, truncated JSON, deep nesting, huge strings,
 * invalid UTF-8, binary, secrets echoed in bodies and headers), every call of a real client
 * ends in `{ data }` or `{ error }` with a known code (`SdkErrorCode`, or a declared or
 * status-derived code on an `ApiError`), makes at most `1 + maxRetries` attempts, never throws,
 * and nothing the user can print holds the credential.
 *
 * The answers come from an in-process `Fetcher` (`new Response(...)`; a 1xx forced in, as a
 * non-conforming fetcher could hand back), and in a smaller variant byte for byte over a raw
 * loopback socket to the platform's `fetch`, where `content-encoding`/`content-length` lies bite.
 * Retries wait 0 ms (`baseDelayMs: 0`, `maxRetryAfterMs: 0`): nothing depends on timing.
 *
 * What the server sent stays the server's: `result.response`, `data`, a hook's `response` and an
 * `ApiError`'s `body` (documented as raw, read explicitly) are not scanned here; whether an
 * `ApiError` prints its body is the separate property at the end.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ApiError,
  PorticoError,
  SdkErrorCode,
  bearerToken,
  allStages, createClient,
  statusErrorCode,
  type ApiDescriptor,
  type ErrorBodySchema,
  type Fetcher,
  type ResponseMeta,
} from "../../src/index.js";
import { canaryNeedles, causeChain, makeLetterCanary, printedViews } from "../support/canary.js";
import { deepNesting, headerText, invalidUtf8, manyDigits, rarely, truncatedJson, utf8Bytes } from "./support/arbitraries.js";
import { Tally, checkProperty, fuzzTimeout, runsFor } from "./support/fuzz.js";
import { useRawServer, type RawServer } from "./support/raw-http.js";

/** Every call on its own: no retry budget, breaker or pacing shared across the cases, which all use one origin. */
const ISOLATED = { retryBudget: false, circuitBreaker: false, pacing: false } as const;

const API = "https://api.fuzz.test";
const canary = makeLetterCanary();
/** The bearer token: RFC 6750 b64token characters, some of which percent- and base64-encoding change. */
const TOKEN = `tok_${canary}.-_~+/=`;
const needles = canaryNeedles(canary);

/** A Standard Schema for `{ code: <one of codes>, message: string }`. */
function errorBody(codes: readonly string[]): ErrorBodySchema {
  return {
    "~standard": {
      validate(value: unknown) {
        const v = value as { code?: unknown; message?: unknown } | null;
        return typeof v === "object" && v !== null && typeof v.code === "string" && codes.includes(v.code) && typeof v.message === "string"
          ? { value }
          : { issues: [{ message: "not a declared error body" }] };
      },
    },
  };
}

const AUTH = ["AUTHENTICATION_REQUIRED", "INVALID_TOKEN"];
const SALE_CONFLICT = ["IDEMPOTENCY_KEY_IN_USE", "DUPLICATE_REFERENCE"];

const descriptor: ApiDescriptor = {
  name: "fuzz-api",
  servers: [{ url: API, environment: "production" }],
  securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
  security: [{ bearer: [] }],
  operations: {
    "GET /items": { credits: 1, metered: true, errors: { "401": AUTH, "404": ["ITEM_NOT_FOUND"], "4XX": [], default: ["SERVER_FAILED"] } },
    "POST /sales": { idempotent: true, errors: { "409": SALE_CONFLICT, "423": ["TERMINAL_BUSY"], "5XX": [] }, retryableCodes: ["IDEMPOTENCY_KEY_IN_USE", "TERMINAL_BUSY"] },
    "PUT /items/{id}": { errors: { "422": [] } },
    "DELETE /items/{id}": {},
    "HEAD /items": {},
  },
  errorSchemas: {
    "GET /items": { "401": errorBody(AUTH), "404": errorBody(["ITEM_NOT_FOUND"]), default: errorBody(["SERVER_FAILED"]) },
    "POST /sales": { "409": errorBody(SALE_CONFLICT), "423": errorBody(["TERMINAL_BUSY"]) },
  },
};

/** Every code an error may carry: the SDK's own, or (on an `ApiError`) a declared or status-derived one. */
const SDK_CODES = new Set<string>(Object.values(SdkErrorCode));
const DECLARED = new Set<string>(Object.values(descriptor.operations).flatMap((op) => Object.values(op.errors ?? {}).flat()));

const OPERATIONS = [
  { method: "GET", path: "/items", init: {} },
  { method: "POST", path: "/sales", init: { body: { type: "SALE", amount: 1, currency: "EUR" } } },
  { method: "PUT", path: "/items/{id}", init: { params: { path: { id: "i 1/é" } }, body: { name: "x" } } },
  { method: "DELETE", path: "/items/{id}", init: { params: { path: { id: "i1" } } } },
  { method: "HEAD", path: "/items", init: {} },
] as const;

// ---------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------

type Echo = "raw" | "percent" | "json" | "base64";
const echoed = (echo: Echo): string =>
  echo === "raw" ? TOKEN : echo === "percent" ? encodeURIComponent(TOKEN) : echo === "json" ? JSON.stringify(TOKEN).slice(1, -1) : Buffer.from(TOKEN).toString("base64");
const anEcho = fc.constantFrom<Echo>("raw", "percent", "json", "base64");

type AnswerBody =
  | { readonly kind: "json"; readonly value: unknown }
  | { readonly kind: "declared"; readonly code: string; readonly echo: Echo }
  | { readonly kind: "problem"; readonly echo: Echo }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "html-echo"; readonly echo: Echo }
  | { readonly kind: "bytes"; readonly bytes: Uint8Array }
  | { readonly kind: "huge" };

interface Answer {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: AnswerBody;
}

const numberish = fc.oneof(fc.integer({ min: -5, max: 10_000 }).map(String), manyDigits, fc.constantFrom("", "-0", "1e3", "NaN", "Infinity", "0x10", "1.5", " 7 "), headerText(12));

const headerLine: fc.Arbitrary<readonly [string, string]> = fc.oneof(
  fc.tuple(
    fc.constant("retry-after"),
    fc.oneof(fc.constantFrom("0", "1", "-1", "", "soon", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 99 Foo 2020"), manyDigits, headerText(70)),
  ),
  fc.tuple(
    fc.constant("ratelimit"),
    fc.oneof(
      fc.constantFrom("limit=100, remaining=50, reset=30", '"default";r=0;t=60', "garbage;;;", '"a";r=-1;t=1e999', "limit=?1", '("x" "y");r=1'),
      headerText(),
      fc.integer({ min: 1, max: 6000 }).map((n) => "a,".repeat(n)),
    ),
  ),
  fc.tuple(fc.constant("ratelimit-policy"), fc.oneof(fc.constantFrom("100;w=60", '"default";q=100;w=60', "100;w=-1", "x;;", '"a";q=1e999'), headerText())),
  fc.tuple(fc.constantFrom("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"), numberish),
  fc.tuple(fc.constantFrom("x-credits-remaining", "x-credits-cost"), numberish),
  fc.tuple(
    fc.constant("content-type"),
    fc.oneof(fc.constantFrom("application/json", "application/problem+json", "text/html", "application/json; charset=latin1", "application/jsonx", "", "*/*", "multipart/form-data"), headerText()),
  ),
  fc.tuple(fc.constant("content-encoding"), fc.constantFrom("gzip", "br", "deflate", "identity", "x-junk", "gzip, gzip")),
  fc.tuple(fc.constant("content-length"), fc.oneof(fc.constantFrom("0", "5", "abc", "-1", "1e3"), manyDigits)),
  fc.tuple(fc.constant("location"), fc.constantFrom("/items", "/sales?x=1", "https://evil.test/steal", "//evil.test/x", "", "http://[::1", `${API}/other`)),
  fc.tuple(fc.constantFrom("x-request-id", "request-id", "x-correlation-id"), fc.oneof(headerText(), fc.constant("req-123"))),
);

/** The credential echoed in a response header, by where (the header-echo property at the end of the file). */
const ECHO_HEADERS = {
  "WWW-Authenticate": anEcho.map((echo) => ["www-authenticate", `Bearer error="invalid_token", error_description="token ${echoed(echo)} is revoked"`] as const),
  "a request id": fc
    .tuple(fc.constantFrom("x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid", "cf-ray"), anEcho)
    .map(([name, echo]) => [name, `req-${echoed(echo)}`] as const),
  "an unread header": anEcho.map((echo) => ["x-debug-authorization", `Bearer ${echoed(echo)}`] as const),
  "the RateLimit policy name": anEcho.map((echo) => ["ratelimit", `"${echoed(echo)}";r=1;t=2`] as const),
  "the content type": anEcho.map((echo) => ["content-type", `text/plain; token=${echoed(echo).replace(/[=;]/g, "")}`] as const),
} satisfies Record<string, fc.Arbitrary<readonly [string, string]>>;

const status = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(200, 201, 204, 206) },
  { weight: 6, arbitrary: fc.constantFrom(400, 401, 402, 403, 404, 409, 418, 422, 423, 429) },
  { weight: 4, arbitrary: fc.constantFrom(500, 502, 503, 504) },
  { weight: 2, arbitrary: fc.constantFrom(301, 302, 303, 304, 307, 308) },
  { weight: 3, arbitrary: fc.integer({ min: 200, max: 599 }) },
  // What a non-conforming fetcher could hand back: `new Response` refuses 1xx, so it is forced in.
  { weight: 1, arbitrary: fc.constantFrom(100, 101, 103, 199) },
);

const answerBody: fc.Arbitrary<AnswerBody> = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: "json" as const, value })) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("declared" as const), code: fc.constantFrom(...DECLARED, "GONE_FISHING", ""), echo: anEcho }) },
  { weight: 2, arbitrary: anEcho.map((echo) => ({ kind: "problem" as const, echo })) },
  { weight: 1, arbitrary: truncatedJson.map((text) => ({ kind: "text" as const, text })) },
  { weight: 1, arbitrary: deepNesting.map((text) => ({ kind: "text" as const, text })) },
  { weight: 1, arbitrary: fc.string().map((text) => ({ kind: "text" as const, text })) },
  { weight: 1, arbitrary: anEcho.map((echo) => ({ kind: "html-echo" as const, echo })) },
  { weight: 1, arbitrary: fc.oneof(invalidUtf8, fc.uint8Array({ maxLength: 64 })).map((bytes) => ({ kind: "bytes" as const, bytes })) },
  { weight: 1, arbitrary: fc.constant<AnswerBody>({ kind: "text", text: "" }) },
);

const answerWith = (headers: fc.Arbitrary<ReadonlyArray<readonly [string, string]>>): fc.Arbitrary<Answer> =>
  fc.record({
    status,
    headers,
    body: fc.oneof({ weight: 150, arbitrary: answerBody }, { weight: 1, arbitrary: fc.constant<AnswerBody>({ kind: "huge" }) }),
  });

const answer = answerWith(fc.array(headerLine, { maxLength: 5 }));
/** An answer with the credential echoed in a header (one of `ECHO_HEADERS`). */
const echoingAnswer: fc.Arbitrary<Answer> = answerWith(
  fc.tuple(fc.array(headerLine, { maxLength: 3 }), fc.oneof(...Object.values(ECHO_HEADERS))).map(([lines, line]) => [...lines, line]),
);

interface ApiCase {
  readonly operation: (typeof OPERATIONS)[number];
  readonly maxRetries: number;
  readonly perCallRetries: number | undefined;
  readonly parseAs: "json" | "text" | "blob" | "arrayBuffer" | "stream" | undefined;
  readonly maxResponseBytes: number | undefined;
  readonly answers: readonly Answer[];
}

const caseWith = (answers: fc.Arbitrary<Answer>): fc.Arbitrary<ApiCase> =>
  fc.record({
    operation: fc.constantFrom(...OPERATIONS),
    maxRetries: fc.integer({ min: 0, max: 3 }),
    perCallRetries: fc.option(fc.integer({ min: 0, max: 3 }), { freq: 4 }).map((n) => n ?? undefined),
    parseAs: fc.constantFrom(undefined, undefined, undefined, "json", "text", "blob", "arrayBuffer", "stream"),
    maxResponseBytes: rarely(fc.constantFrom(1, 16, 64, 4096), 8).map((n) => n ?? undefined),
    answers: fc.array(answers, { minLength: 1, maxLength: 4 }),
  });

const apiCase = caseWith(answer);

function bodyText(body: AnswerBody): string | Uint8Array {
  switch (body.kind) {
    case "json":
      return JSON.stringify(body.value) ?? "null";
    case "declared":
      return JSON.stringify({ code: body.code, message: `token ${echoed(body.echo)} refused`, requestId: "req-1" });
    case "problem":
      return JSON.stringify({ type: "about:blank", title: "Unauthorized", status: 401, detail: `Bearer ${echoed(body.echo)} expired`, error_description: echoed(body.echo) });
    case "text":
      return body.text;
    case "html-echo":
      return `<html><body>Authorization: Bearer ${echoed(body.echo)}<br>${echoed(body.echo)}</body></html>`;
    case "bytes":
      return body.bytes;
    case "huge":
      return HUGE_BODY;
  }
}

/** One body over the 1 MiB error-body bound, built once. */
const HUGE_BODY = utf8Bytes(`{"message":"${"x".repeat((1 << 20) + 16)}","echo":"${TOKEN}"}`);

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function responseOf(a: Answer): Response {
  const headers = new Headers();
  for (const [name, value] of a.headers) headers.append(name, value);
  const raw = bodyText(a.body);
  const bytes = typeof raw === "string" ? utf8Bytes(raw) : raw;
  if (a.status < 200) {
    const response = new Response(null, { status: 200, headers });
    Object.defineProperties(response, { status: { value: a.status }, ok: { value: false } });
    return response;
  }
  return new Response(NULL_BODY.has(a.status) ? null : (bytes as Uint8Array<ArrayBuffer>), { status: a.status, headers });
}

// ---------------------------------------------------------------------------------------------

/** An `ApiError` as printed without its raw `body` (the body is the server's; see the last property). */
function withoutBody(value: unknown): unknown {
  if (!(value instanceof ApiError)) return value;
  const shown = Object.create(Object.getPrototypeOf(value) as object) as object;
  for (const key of Reflect.ownKeys(value)) {
    if (key !== "body") Object.defineProperty(shown, key, Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor);
  }
  return shown;
}

/** Hook events without the raw `response` they carry (and an `onError` event's error without its body). */
const withoutResponse = (event: unknown): unknown => {
  if (typeof event !== "object" || event === null) return event;
  const { response: _response, ...rest } = event as Record<string, unknown>;
  return "error" in rest ? { ...rest, error: withoutBody(rest["error"]) } : rest;
};

function leaksIn(values: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [where, value] of Object.entries(values)) {
    for (const [path, node] of causeChain(value)) {
      for (const [view, text] of printedViews(withoutBody(node))) {
        if (needles.some((needle) => text.includes(needle))) found.push(`${where}${path} (${view}): ${text.slice(0, 300)}`);
      }
    }
  }
  return found;
}

type RawResult = { data?: unknown; error?: PorticoError<string>; meta: ResponseMeta; response?: Response };
type RawClient = Record<string, (path: string, init?: object) => Promise<RawResult>>;

/** The answers of a case written byte for byte on a loopback socket, read by the platform's `fetch`. */
function onTheWire(server: RawServer, c: ApiCase): void {
  server.answerWith((index) => {
    const a = c.answers[Math.min(index, c.answers.length - 1)] as Answer;
    const raw = bodyText(a.body);
    return { status: a.status, headers: a.headers, body: NULL_BODY.has(a.status) ? new Uint8Array() : typeof raw === "string" ? utf8Bytes(raw) : raw };
  });
}

async function runCase(c: ApiCase, tally: Tally, server?: RawServer): Promise<void> {
  let calls = 0;
  let last: Answer | undefined;
  const inProcess: Fetcher = async () => {
    const a = c.answers[Math.min(calls, c.answers.length - 1)] as Answer;
    calls += 1;
    last = a;
    return responseOf(a);
  };
  // Over the socket, the platform's fetch (it undoes content-encodings, and trips on the lies).
  const fetcher: Fetcher =
    server === undefined
      ? inProcess
      : async (url, init) => {
          const a = c.answers[Math.min(calls, c.answers.length - 1)] as Answer;
          calls += 1;
          last = a;
          return fetch(url, init as RequestInit);
        };
  if (server !== undefined) onTheWire(server, c);
  const events: unknown[] = [];
  const push = (e: unknown): void => void events.push(withoutResponse(e));
  const client = createClient(descriptor, {
    baseUrl: server?.url ?? API,
    // The model is one call's retry policy: the origin's shared budget, breaker and pacing are left out (they have their own tests).
    ...ISOLATED,
    auth: bearerToken(TOKEN),
    fetcher,
    retry: { maxRetries: c.maxRetries, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
    ...(c.maxResponseBytes !== undefined ? { maxResponseBytes: c.maxResponseBytes } : {}),
    hooks: { onRequest: push, onResponse: push, onRetry: push, onError: push, onCredits: (credits, info) => push({ credits, info }), onRateLimit: (rateLimit, info) => push({ rateLimit, info }) },
  }, allStages) as unknown as RawClient;
  const { operation } = c;
  const init = {
    ...operation.init,
    ...(c.perCallRetries !== undefined ? { maxRetries: c.perCallRetries } : {}),
    ...(c.parseAs !== undefined ? { parseAs: c.parseAs } : {}),
  };
  let result: RawResult;
  try {
    result = await (client[operation.method] as RawClient[string])(operation.path, init);
  } catch (thrown) {
    throw new Error(`${operation.method} ${operation.path} threw instead of returning { error }: ${inspect(thrown)}`);
  }
  const { data, error, meta } = result;
  if (data instanceof ReadableStream) await data.cancel().catch(() => undefined);
  const maxRetries = c.perCallRetries ?? c.maxRetries;

  // One of data or error, a known code, bounded attempts.
  expect(error === undefined || data === undefined, "both data and error").toBe(true);
  expect(meta.attempts, "attempts").toBeGreaterThanOrEqual(1);
  expect(meta.attempts, "attempts ≤ 1 + maxRetries").toBeLessThanOrEqual(1 + maxRetries);
  expect(calls, "fetcher calls (attempts × redirect hops)").toBeLessThanOrEqual(meta.attempts * 6);
  for (const n of [meta.credits?.remaining, meta.credits?.cost, meta.rateLimit?.limit, meta.rateLimit?.remaining, meta.rateLimit?.resetSeconds, meta.rateLimit?.windowSeconds]) {
    if (n !== undefined) expect(Number.isFinite(n), "a meta number that is not finite").toBe(true);
  }
  if (error !== undefined) {
    expect(error).toBeInstanceOf(PorticoError);
    if (error instanceof ApiError) {
      expect(error.status).toBe(meta.status);
      expect([...DECLARED, statusErrorCode(error.status)]).toContain(error.code);
      expect(Object.keys(error)).not.toContain("body");
    } else {
      expect(SDK_CODES.has(error.code), `code ${error.code}`).toBe(true);
      expect(["STATE_MISMATCH", "AUTHORIZATION_DENIED"]).not.toContain(error.code);
    }
    tally.add(error instanceof ApiError ? "ApiError" : error.code);
  } else {
    expect(meta.status, "data from a non-2xx answer").toBeGreaterThanOrEqual(200);
    expect(meta.status).toBeLessThan(300);
    tally.add("data");
    // What the server sent is what the caller gets: a plain JSON answer read as JSON.
    const a = last as Answer;
    const plain = a.headers.every(([name]) => !["content-type", "content-length", "content-encoding"].includes(name));
    if (server === undefined && plain && a.body.kind === "json" && !NULL_BODY.has(a.status) && operation.method !== "HEAD" && (c.parseAs === undefined || c.parseAs === "json") && c.maxResponseBytes === undefined) {
      expect(data).toEqual(a.body.value);
    }
  }
  const leaks = leaksIn({ error, meta, events, client });
  if (leaks.length > 0) throw new Error(`the credential in what the user can print:\n${leaks.join("\n")}`);
}

describe("API responses (property)", () => {
  it(
    "any status, headers and body: { data } or { error } with a known code, bounded attempts, no throw, no secret",
    async () => {
      const tally = new Tally();
      await checkProperty(
        "API responses",
        fc.asyncProperty(apiCase, (c) => runCase(c, tally)),
        undefined,
        tally,
      );
    },
    fuzzTimeout(10),
  );

  it(
    `the credential echoed in a response header (${Object.keys(ECHO_HEADERS).join(", ")}) is printed nowhere`,
    async () => {
      const tally = new Tally();
      await checkProperty("API responses: the credential echoed in headers", fc.asyncProperty(caseWith(echoingAnswer), (c) => runCase(c, tally)), undefined, tally);
    },
    fuzzTimeout(10),
  );

  describe("over a loopback socket, with the platform's fetch", () => {
    const rawServer = useRawServer();

    it(
      "the same property, the answers written byte for byte (content-encoding and content-length lies undone by fetch, or not)",
      async () => {
        const server = rawServer();
        const tally = new Tally();
        const runs = runsFor(1 / 20);
        // 1xx answers are not final on the wire: left to the in-process property.
        const wire = caseWith(answer.filter((a) => a.status >= 200));
        await checkProperty("API responses over a loopback socket", fc.asyncProperty(wire, (c) => runCase(c, tally, server)), runs, tally);
      },
      fuzzTimeout(40, runsFor(1 / 20)),
    );
  });

  it(
    "an ApiError never prints the raw body it keeps (console.log('%o'), util.inspect with showHidden, structuredClone)",
    async () => {
      await checkProperty(
        "API responses: ApiError bodies",
        fc.asyncProperty(fc.constantFrom(...AUTH), anEcho, async (code, echo) => {
          const client = createClient(descriptor, {
            baseUrl: API,
            ...ISOLATED,
            auth: bearerToken(TOKEN),
            retry: false,
            fetcher: async () => new Response(JSON.stringify({ code, message: `token ${echoed(echo)} refused` }), { status: 401, headers: { "content-type": "application/json" } }),
          }, allStages) as unknown as RawClient;
          const { error } = await (client["GET"] as RawClient[string])("/items");
          expect(error).toBeInstanceOf(ApiError);
          // The body is there for whoever reads it explicitly...
          expect((error as ApiError<{ message: string }>).body.message).toContain(echoed(echo));
          // ...and printed by no view of the error.
          const printed = printedViews(error).filter(([, text]) => needles.some((needle) => text.includes(needle)));
          expect(printed.map(([view]) => view)).toEqual([]);
        }),
      );
    },
    fuzzTimeout(5),
  );
});
