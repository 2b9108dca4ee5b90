/**
 * Property: random client options (wrong types, NaN, huge numbers, unknown keys, non-plain
 * objects, header names and values HTTP cannot carry) and random per-call options give either a
 * working client and call, or `INVALID_OPTIONS` (thrown by the factory) / `INVALID_REQUEST` (the
 * call's `{ error }`, nothing sent) naming the option; never a raw `TypeError`.
 *
 * Every generated value is labelled valid or invalid by what the docs promise (`ClientOptions`,
 * `CallOptions`, RFC 9110 for headers), with the clearly-valid and clearly-invalid kept apart (no
 * fractional milliseconds, no retry counts between 11 and 1e9: what they should do is a choice).
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PorticoError, apiKey, bearerToken, allStages, createClient, createConcurrencyGate, type ApiDescriptor, type Fetcher } from "../../src/index.js";
import { rarely } from "./support/arbitraries.js";
import { Tally, checkProperty, fuzzTimeout } from "./support/fuzz.js";

const descriptor: ApiDescriptor = {
  name: "fuzz-options",
  servers: [{ url: "https://api.fuzz.test", environment: "production" }],
  securitySchemes: { bearer: { type: "http", scheme: "bearer" }, key: { type: "apiKey", in: "header", name: "X-Api-Key" } },
  security: [{ bearer: [] }, { key: [] }],
  operations: { "GET /items": {}, "POST /sales": { idempotent: true } },
};

const BODY = '{"ok":true}';

/** The values of one option the docs make valid, and values they make invalid. */
interface OptionSpace {
  readonly valid: fc.Arbitrary<unknown>;
  readonly invalid: fc.Arbitrary<unknown>;
}
const either = (valid: fc.Arbitrary<unknown>, invalid: fc.Arbitrary<unknown>): OptionSpace => ({ valid, invalid });

/** An invalid value the factory may accept, to be refused per call as `INVALID_REQUEST` naming it (a header HTTP cannot carry). */
class Late {
  constructor(readonly value: unknown) {}
}
const late = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<Late> => arbitrary.map((value) => new Late(value));

/** One option as generated: its value and whether the docs make it valid. */
interface Labelled {
  readonly key: string;
  readonly value: unknown;
  readonly valid: boolean;
  readonly late: boolean;
}

/**
 * Options drawn from `space`: any subset of valid values, then (in most cases) one or two keys
 * given an invalid value instead, so both outcomes are common and a refusal has a known culprit.
 */
function labelled(space: Record<string, OptionSpace>): fc.Arbitrary<Labelled[]> {
  const keys = Object.keys(space);
  const valid = fc.record(Object.fromEntries(keys.map((key) => [key, (space[key] as OptionSpace).valid])), { requiredKeys: [] });
  const wrong = fc
    .constantFrom(...keys)
    .chain((key) => (space[key] as OptionSpace).invalid.map((value): Labelled => (value instanceof Late ? { key, value: value.value, valid: false, late: true } : { key, value, valid: false, late: false })));
  return fc.tuple(valid, fc.array(wrong, { maxLength: 2 }), fc.boolean()).map(([values, invalid, keepInvalid]) => {
    const out = new Map<string, Labelled>(Object.entries(values).map(([key, value]) => [key, { key, value, valid: true, late: false }]));
    if (keepInvalid) for (const entry of invalid) out.set(entry.key, entry);
    return [...out.values()];
  });
}

/** Values of the wrong type or out of every range. */
const junk = fc.oneof(
  fc.constantFrom<unknown>(null, NaN, Infinity, -Infinity, -1, 0, 1.5, -0, "", "x", "1000", true, false, [], [1], Symbol("s"), () => 1, 2 ** 31, 2 ** 53, 10n, new Date(0), new Map(), new Set(), /re/),
  fc.string({ maxLength: 8 }),
  fc.double(),
);
const junkExcept = (ok: (v: unknown) => boolean) => junk.filter((v) => !ok(v));

const visible = (min: number, max: number) => fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: min, maxLength: max });
const tokenChars = fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+.^_`|~-"), minLength: 1, maxLength: 12 });
/** A header name HTTP takes (kept clear of credential and framing headers). */
const goodHeaderName = tokenChars.map((t) => `x-${t}`);
const badHeaderName = fc.oneof(fc.constantFrom("", "x a", "x:a", "x\r\na", "x\0", "é", "x-ü", "(x)", "x/y", "x@y", '"x"'), fc.string({ maxLength: 6 }).map((s) => `x ${s}`));
/** A value fetch sends: Latin-1 text without CR, LF or NUL (tabs and spaces inside). */
const goodHeaderValue = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }), fc.constant(0x09)).map((c) => String.fromCharCode(c)), maxLength: 24 });
const badHeaderValue = fc
  .tuple(goodHeaderValue, fc.constantFrom("\r\n", "\n", "\r", "\0", "€", "Ā", "😀", "\r\nSet-Cookie: a=b"), goodHeaderValue)
  .map(([a, x, b]) => `${a}${x}${b}`);

const goodHeaders = fc.dictionary(goodHeaderName, goodHeaderValue, { maxKeys: 3 });
const badHeaders = fc.oneof(
  fc.tuple(goodHeaders, badHeaderName, goodHeaderValue).map(([h, n, v]) => ({ ...h, [n]: v })),
  fc.tuple(goodHeaders, goodHeaderName, badHeaderValue).map(([h, n, v]) => ({ ...h, [n]: v })),
);
const nonPlainHeaders = fc.constantFrom<unknown>(new Headers({ "x-a": "b" }), new Map([["x-a", "b"]]), [["x-a", "b"]], "x-a: b", 5, null);

const fetcherCalls: Array<{ url: string; headers: Record<string, string> }> = [];
const fetcher: Fetcher = async (url, init) => {
  fetcherCalls.push({ url, headers: init.headers });
  return new Response(BODY, { status: 200, headers: { "content-type": "application/json" } });
};

const HOOKS = ["onRequest", "onResponse", "onRetry", "onError", "onCredits", "onRateLimit"] as const;
const ms = fc.integer({ min: 0, max: 60_000 });

const clientOption = {
  baseUrl: either(
    fc.constantFrom("https://api.fuzz.test", "https://api.fuzz.test/", "https://api.fuzz.test/v2", "https://API.FUZZ.TEST", "http://127.0.0.1:8080", "https://api.fuzz.test.", "http://localhost:3000/api"),
    fc.oneof(fc.constantFrom("", "api.fuzz.test", "ftp://x.test", "https://", "javascript:alert(1)", "http://[::1", "//api.fuzz.test", "https://api.fuzz.test:99999", "file:///etc/passwd"), junkExcept((v) => typeof v === "string" && /^https?:\/\/[a-z]/i.test(v)), fc.constant(new URL("https://api.fuzz.test"))),
  ),
  fetcher: either(fc.constant(fetcher), junkExcept((v) => typeof v === "function")),
  // Header objects of another kind are refused at construction (they are not `Record<string, string>`).
  headers: either(goodHeaders, fc.oneof(late(badHeaders), nonPlainHeaders)),
  retry: either(
    fc.oneof(fc.constant(false), fc.record({ maxRetries: fc.integer({ min: 0, max: 10 }), baseDelayMs: ms, maxDelayMs: ms, maxRetryAfterMs: ms }, { requiredKeys: [] })),
    fc.oneof(
      fc.constantFrom(true, null, "3", 3, []),
      fc.record({ maxRetries: fc.constantFrom(-1, 1.5, NaN, Infinity, "2", null) }),
      // Delays a timer cannot hold (above 2^31 - 1 ms) included.
      fc.constantFrom("baseDelayMs", "maxDelayMs", "maxRetryAfterMs").chain((key) => fc.constantFrom(-1, 1.5, NaN, Infinity, 2 ** 31, 2 ** 40, 1e300, "300").map((v) => ({ [key]: v }))),
      fc.constantFrom({ retries: 3 }, { maxRetry: 2 }, { maxRetries: 2, jitter: true }),
    ),
  ),
  timeout: either(fc.integer({ min: 1000, max: 2 ** 31 - 1 }), fc.constantFrom(0, -5, -0, NaN, Infinity, 2 ** 31, 1e300, "1000", null, true)),
  maxResponseBytes: either(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 2 ** 40 })), fc.constantFrom(0, -1, 1.5, NaN, Infinity, "1", 2 ** 53, null)),
  hooks: either(
    fc.subarray([...HOOKS]).map((names) => Object.fromEntries(names.map((name) => [name, () => undefined]))),
    fc.oneof(fc.constantFrom<unknown>("hooks", [], null, 5, { onRequest: "log" }, { onReqest: () => undefined }, { onError: {} }), fc.constantFrom(...HOOKS).map((name) => ({ [name]: 1 }))),
  ),
  throwOnError: either(fc.boolean(), fc.constantFrom("true", "false", 1, 0, null)),
  creditGuard: either(fc.boolean(), fc.constantFrom("yes", 1, null)),
  checkScopes: either(fc.boolean(), fc.constantFrom("no", 0, {})),
  idempotency: either(
    fc.constantFrom({}, { header: "Idempotency-Key" }, { header: "X-Idempotency-Key" }),
    fc.constantFrom<unknown>({ header: "bad key" }, { header: "" }, { header: "x\r\ny" }, { hdr: "x" }, "Idempotency-Key", { header: 5 }, null),
  ),
  querySerializer: either(fc.constantFrom({}, { array: { style: "form", explode: true } }), fc.constantFrom<unknown>("x", 42, null, [1])),
  claimsNamespace: either(fc.constantFrom("https://fuzz.test/claims/"), fc.constantFrom<unknown>("", 42, null)),
  maxConcurrency: either(
    fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 64 }).map((limit) => createConcurrencyGate(limit))),
    fc.constantFrom<unknown>(0, -1, 1.5, NaN, Infinity, 1_000_001, 2 ** 53, "8", null, true, {}, { limit: 8, inFlight: 0, waiting: 0 }),
  ),
  auth: either(
    fc.constantFrom(
      () => bearerToken("tok_abc123DEF456"),
      () => apiKey("key_abc123DEF456"),
      () => [bearerToken("tok_abc123DEF456")],
      () => ({ bearer: bearerToken("tok_abc123DEF456") }),
      () => ({ key: apiKey("key_abc123DEF456") }),
    ).map((make) => make()),
    fc.constantFrom(
      () => "tok_abc123DEF456",
      () => [bearerToken("tok_abc123DEF456"), "x"],
      () => ({ kind: "bearer" }),
      () => ({ bearer: "tok_abc123DEF456" }),
      () => ({ nosuchscheme: bearerToken("tok_abc123DEF456") }),
      () => 42,
      () => null,
    ).map((make) => make()),
  ),
} satisfies Record<string, OptionSpace>;

/** Keys the client does not know, each a likely typo of one it does. */
const unknownKey = fc.tuple(fc.constantFrom("baseURL", "timeOut", "retries", "header", "auths", "hook", "fetch", "maxRetries", "signal"), junk);

/** Per-call options, labelled the same way. */
const callOption = {
  timeout: either(fc.integer({ min: 1000, max: 2 ** 31 - 1 }), fc.constantFrom(0, -5, NaN, Infinity, 2 ** 31, "1000", null)),
  maxRetries: either(fc.integer({ min: 0, max: 10 }), fc.constantFrom(-1, 1.5, "lots", NaN, Infinity, null)),
  idempotencyKey: either(
    visible(1, 64),
    fc.oneof(fc.constantFrom<unknown>("", "   ", "a\nb", "€uro", "k\0", 42, null), fc.constant("k".repeat(256))),
  ),
  maxResponseBytes: either(fc.oneof(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 2 ** 40 })), fc.constantFrom(0, -1, NaN, "1", 1.5, null)),
  parseAs: either(fc.constantFrom("json", "text", "blob", "arrayBuffer", "stream"), fc.constantFrom<unknown>("xml", 1, null, "JSON")),
  signal: either(
    fc.boolean().map((aborted) => {
      const controller = new AbortController();
      if (aborted) controller.abort(new Error("stopped"));
      return controller.signal;
    }),
    fc.constantFrom<unknown>("x", { aborted: false }, {}, null),
  ),
  headers: either(
    fc.oneof(goodHeaders, goodHeaders.map((h) => new Headers(h)), goodHeaders.map((h) => Object.entries(h)), fc.dictionary(goodHeaderName, fc.constantFrom<unknown>(5, true, ["a", 1], null, undefined), { maxKeys: 2 })),
    late(fc.oneof(badHeaders, badHeaders.map((h) => Object.entries(h)))),
  ),
} satisfies Record<string, OptionSpace>;

const optionsCase = fc.record({
  client: labelled(clientOption),
  unknown: rarely(unknownKey, 10),
  container: fc.constantFrom("plain", "null-prototype", "frozen", "class"),
  call: labelled(callOption),
  operation: fc.constantFrom("GET /items", "POST /sales"),
});

type OptionsCase = typeof optionsCase extends fc.Arbitrary<infer T> ? T : never;

function build(entries: Record<string, unknown>, container: OptionsCase["container"]): object {
  switch (container) {
    case "plain":
      return { ...entries };
    case "null-prototype":
      return Object.assign(Object.create(null) as object, entries);
    case "frozen":
      return Object.freeze({ ...entries });
    case "class":
      return Object.assign(new (class ClientSettings {})(), entries);
  }
}

/** Whether `error` names one of `keys` (its `option` path, its header, or its message for unknown keys). */
function names(error: PorticoError<string>, keys: readonly string[], headers: readonly string[] = []): boolean {
  const option = typeof error.details["option"] === "string" ? (error.details["option"] as string) : undefined;
  const header = typeof error.details["header"] === "string" ? (error.details["header"] as string).toLowerCase() : undefined;
  return (
    keys.some((key) => option === key || option?.startsWith(`${key}.`) === true || ((option === "" || option === undefined) && error.message.includes(key))) ||
    (header !== undefined && headers.includes(header))
  );
}

const describeError = (thrown: unknown): string => (thrown instanceof Error ? `${thrown.constructor.name} ${(thrown as { code?: string }).code ?? ""}: ${thrown.message}` : inspect(thrown));

async function runCase(c: OptionsCase, tally: Tally): Promise<void> {
  const entries: Record<string, unknown> = { fetcher };
  const invalid: string[] = [];
  const lateKeys: string[] = [];
  /** Header names whose value is invalid (may be refused per call, naming the header). */
  const badHeaderNames: string[] = [];
  for (const { key, value, valid, late: isLate } of c.client) {
    entries[key] = value;
    if (valid) continue;
    (isLate ? lateKeys : invalid).push(key);
    if (key === "headers" && typeof value === "object" && value !== null) badHeaderNames.push(...Object.keys(value).map((n) => n.toLowerCase()));
  }
  if (c.unknown !== null) {
    entries[c.unknown[0]] = c.unknown[1];
    invalid.push(c.unknown[0]);
  }
  const options = build(entries, c.container);

  let client: unknown;
  try {
    client = createClient(descriptor, options as never, allStages);
  } catch (thrown) {
    if (!(thrown instanceof PorticoError)) throw new Error(`createClient threw a raw ${describeError(thrown)}`);
    expect(thrown.code, thrown.message).toBe("INVALID_OPTIONS");
    expect(invalid.length + lateKeys.length, `valid options refused: ${thrown.message}`).toBeGreaterThan(0);
    expect(names(thrown, [...invalid, ...lateKeys]), `"${thrown.message}" names none of ${[...invalid, ...lateKeys].join(", ")}`).toBe(true);
    tally.add("INVALID_OPTIONS");
    return;
  }
  expect(invalid, "invalid client options accepted").toEqual([]);

  // A working client: the call's own options decide.
  const callInvalid: string[] = [...lateKeys];
  const callHeaderNames: string[] = [...badHeaderNames];
  const init: Record<string, unknown> = {};
  for (const { key, value, valid } of c.call) {
    init[key] = value;
    if (valid) continue;
    callInvalid.push(key);
    if (key === "headers") {
      const pairs = Array.isArray(value) ? (value as Array<[string, string]>) : Object.entries(value as object);
      callHeaderNames.push(...pairs.map(([n]) => String(n).toLowerCase()));
    }
  }
  if (c.operation === "POST /sales") init["body"] = { amount: 1 };
  const throws = entries["throwOnError"] === true;
  const calls = fetcherCalls.length;
  const method = c.operation.split(" ")[0] as "GET" | "POST";
  let result: { data?: unknown; error?: PorticoError<string> } | undefined;
  try {
    result = await (client as Record<string, (path: string, init: object) => Promise<typeof result>>)[method]?.(c.operation.split(" ")[1] as string, init);
  } catch (thrown) {
    if (!(throws && thrown instanceof PorticoError)) throw new Error(`the call threw a raw ${describeError(thrown)}`);
    result = { error: thrown };
  }
  const error = result?.error;
  const sent = fetcherCalls.slice(calls);
  if (callInvalid.length > 0) {
    expect(error?.code, `invalid call options (${callInvalid.join(", ")}) accepted`).toBe("INVALID_REQUEST");
    expect(names(error as PorticoError<string>, callInvalid, callHeaderNames), `"${error?.message}" names none of ${callInvalid.join(", ")}`).toBe(true);
    expect(sent, "a refused call was sent").toEqual([]);
    tally.add("INVALID_REQUEST");
    return;
  }
  const signal = init["signal"] as AbortSignal | undefined;
  const limit = (init["maxResponseBytes"] ?? entries["maxResponseBytes"]) as number | undefined;
  if (signal?.aborted) {
    expect(error?.code).toBe("ABORTED");
    tally.add("ABORTED");
  } else if (limit !== undefined && limit < BODY.length && init["parseAs"] !== "stream") {
    expect(error?.code).toBe("RESPONSE_TOO_LARGE");
    tally.add("RESPONSE_TOO_LARGE");
  } else {
    expect(error, `a valid call failed: ${error ? describeError(error) : ""}`).toBeUndefined();
    expect(sent).toHaveLength(1);
    // The client's default headers went out, unless the call set the same name.
    const callHeaders = init["headers"] === undefined ? [] : (Array.isArray(init["headers"]) ? (init["headers"] as Array<[string]>).map(([n]) => n) : init["headers"] instanceof Headers ? [...(init["headers"] as Headers).keys()] : Object.keys(init["headers"] as object)).map((n) => n.toLowerCase());
    for (const [name, value] of Object.entries((entries["headers"] ?? {}) as Record<string, string>)) {
      if (!callHeaders.includes(name.toLowerCase())) expect(sent[0]?.headers[name.toLowerCase()], `default header ${name}`).toBe(value);
    }
    tally.add("data");
  }
  const body = result?.data;
  if (body instanceof ReadableStream) await body.cancel();
}

describe("options (property)", () => {
  it(
    "random client and call options: a working client and call, or INVALID_OPTIONS / INVALID_REQUEST naming the option; never a raw TypeError",
    async () => {
      const tally = new Tally();
      await checkProperty("options", fc.asyncProperty(optionsCase, (c) => runCase(c, tally)), undefined, tally);
      fetcherCalls.length = 0;
    },
    fuzzTimeout(5),
  );

  it(
    "options that are not an object of options (a Map or URLSearchParams of them, a string, an array, a function) are INVALID_OPTIONS",
    async () => {
      const containers = fc.constantFrom(
        (o: Record<string, unknown>) => new Map(Object.entries(o)),
        (o: Record<string, unknown>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])),
        (o: Record<string, unknown>) => Object.entries(o),
        (o: Record<string, unknown>) => JSON.stringify({ ...o, fetcher: undefined }),
        (o: Record<string, unknown>) => Object.assign(() => undefined, o),
        () => 42,
        () => null,
      );
      await checkProperty(
        "options: containers",
        fc.asyncProperty(containers, fc.record({ baseUrl: fc.constant("https://api.fuzz.test"), timeout: fc.integer({ min: 1000, max: 60_000 }) }), async (make, inner) => {
          const options = make({ ...inner, fetcher });
          let thrown: unknown;
          try {
            createClient(descriptor, options as never, allStages);
          } catch (error) {
            thrown = error;
          }
          expect(thrown, `${inspect(options)} accepted as options`).toBeInstanceOf(PorticoError);
          expect((thrown as PorticoError).code).toBe("INVALID_OPTIONS");
        }),
      );
    },
    fuzzTimeout(2),
  );
});
