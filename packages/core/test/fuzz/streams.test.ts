/**
 * Property: whatever a streaming operation's server sends (Server-Sent Events built from valid
 * and malformed pieces: fields, comments, byte order marks, CR/LF/CRLF mixes, lines over the
 * item limit, data that is not JSON, ids with NUL, `retry` values good and bad, bytes that are
 * not UTF-8; JSON Lines with invalid, blank, CRLF, unterminated and huge lines), cut into chunks
 * anywhere (inside a multi-byte character too), `client.stream` yields exactly what a reference
 * decoding of the same bytes read as one piece gives, and ends cleanly or with a `PorticoError`
 * (`STREAM_MALFORMED`, with the reference's details; `STREAM_INTERRUPTED` where it must), never
 * another exception and never a hang.
 *
 * Also: a stream cut at arbitrary offsets and resumed with `Last-Event-ID` loses and duplicates
 * no event, and waits the last valid `retry` (or the default) before each reconnect; and a
 * bearer token the server echoes in ids, event names, data, malformed and huge lines and the
 * content type is printed by no error.
 *
 * The client is the public `createClient(descriptor, options, allStages)` with an in-process
 * fetcher answering `ReadableStream` bodies chunk by chunk (a smaller variant reads the bytes from
 * a real loopback socket). Reconnect waits go through an injected clock whose `sleep` resolves at
 * once and records the delay: nothing depends on timing. The reference decoders are in
 * `support/stream-reference.ts`.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PorticoError, allStages, bearerToken, createClient, type ApiDescriptor, type Fetcher } from "../../src/index.js";
import { excerpt, redact } from "../../src/internal.js";
import { canaryNeedles, causeChain, makeLetterCanary, printedViews } from "../support/canary.js";
import { invalidUtf8, manyDigits, utf8Bytes } from "./support/arbitraries.js";
import { Tally, checkProperty, fuzzTimeout, runsFor } from "./support/fuzz.js";
import { useRawServer, type RawServer } from "./support/raw-http.js";
import {
  bodyStream,
  chunksOf,
  concatBytes,
  decodeConnection,
  referenceJsonLines,
  referenceSse,
  type RefEvent,
  type RefFailure,
} from "./support/stream-reference.js";

const API = "https://stream.fuzz.test";
const canary = makeLetterCanary();
const TOKEN = `tok_${canary}.-_~+/=`;
const needles = canaryNeedles(canary);
/** The default reconnection time of the stage (docs/streaming.md). */
const DEFAULT_RETRY_MS = 3000;

const descriptor: ApiDescriptor = {
  name: "fuzz-streams",
  servers: [{ url: API, environment: "production" }],
  securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
  security: [{ bearer: [] }],
  operations: {
    "GET /events": { stream: { format: "sse", json: true } },
    "GET /text": { stream: { format: "sse" } },
    "GET /lines": { stream: { format: "jsonl" } },
  },
};

type Key = "GET /events" | "GET /text" | "GET /lines";

interface StreamHandle extends AsyncIterable<unknown> {
  readonly lastEventId: string | undefined;
}
interface StreamClient {
  stream(key: string, init?: Record<string, unknown>): StreamHandle;
}

interface Connection {
  readonly status?: number;
  readonly contentType?: string;
  readonly chunks: readonly Uint8Array[];
  readonly end: "clean" | "broken";
  readonly resetMessage?: string;
}

interface Run {
  readonly items: unknown[];
  readonly error?: PorticoError<string>;
  /** What was thrown that is not a `PorticoError` (always a failure). */
  readonly foreign?: unknown;
  readonly lastEventId: string | undefined;
  readonly sleeps: number[];
  /** `Last-Event-ID` (and `authorization`) of each request. */
  readonly requests: Array<{ lastEventId: string | undefined }>;
}

/**
 * Streams `key` from a client whose fetcher answers request `n` with `answer(n, lastEventId)`
 * (a 204 once the answers run out), over the loopback `server` when given.
 */
async function runStream(
  key: Key,
  init: Record<string, unknown>,
  answer: (index: number, lastEventId: string | undefined) => Connection | undefined,
  server?: RawServer,
): Promise<Run> {
  const sleeps: number[] = [];
  const requests: Array<{ lastEventId: string | undefined }> = [];
  const respond = (index: number, lastEventId: string | undefined): { status: number; headers: Record<string, string>; connection: Connection | undefined } => {
    const connection = answer(index, lastEventId);
    if (connection === undefined) return { status: 204, headers: {}, connection };
    const contentType = connection.contentType ?? (key === "GET /lines" ? "application/x-ndjson" : "text/event-stream; charset=utf-8");
    return { status: connection.status ?? 200, headers: { "content-type": contentType }, connection };
  };
  const fetcher: Fetcher = async (url, fetchInit) => {
    // The header's bytes read as UTF-8, as a server does (the id a reconnect sends is UTF-8 on the wire).
    const header = fetchInit.headers["last-event-id"];
    const lastEventId = header === undefined ? undefined : Buffer.from(header, "latin1").toString("utf8");
    const index = requests.length;
    requests.push({ lastEventId });
    if (server !== undefined) return fetch(url, fetchInit as RequestInit);
    const { status, headers, connection } = respond(index, lastEventId);
    if (connection === undefined) return new Response(null, { status, headers });
    return new Response(bodyStream(connection.chunks, connection.end, connection.resetMessage), { status, headers });
  };
  if (server !== undefined) {
    server.answerWith((index) => {
      const { status, headers, connection } = respond(index, requests[index]?.lastEventId);
      return { status, headers: Object.entries(headers), body: connection === undefined ? new Uint8Array() : concatBytes(connection.chunks) };
    });
  }
  const client = createClient(
    descriptor,
    {
      baseUrl: server?.url ?? API,
      auth: bearerToken(TOKEN),
      fetcher,
      retry: false,
      clock: {
        now: () => 1_776_866_400_000,
        sleep: async (ms: number, signal?: AbortSignal) => {
          sleeps.push(ms);
          return !signal?.aborted;
        },
      },
    },
    allStages,
  ) as unknown as StreamClient;
  const stream = client.stream(key, init);
  const items: unknown[] = [];
  try {
    for await (const item of stream) {
      items.push(item);
      // A stream that never ends would be a hang: no case sends anywhere near this many.
      if (items.length > 100_000) throw new Error("more items than any case sends");
    }
    return { items, lastEventId: stream.lastEventId, sleeps, requests };
  } catch (thrown) {
    if (thrown instanceof PorticoError) return { items, error: thrown, lastEventId: stream.lastEventId, sleeps, requests };
    return { items, foreign: thrown, lastEventId: stream.lastEventId, sleeps, requests };
  }
}

function expectNoForeign(run: Run): void {
  if (run.foreign !== undefined) throw new Error(`the stream threw something that is not a PorticoError: ${inspect(run.foreign)}`);
}

/**
 * The reference's error as the client keeps it: the server's event id and name bounded and
 * redacted of the client's secrets, as every server text in an error is.
 */
const asKept = (error: RefFailure | undefined): RefFailure | undefined => {
  if (error === undefined) return undefined;
  const details: Record<string, unknown> = { ...error.details };
  for (const name of ["eventId", "event"]) {
    const value = details[name];
    if (typeof value === "string") details[name] = excerpt(value, 128, (text) => redact(text, [TOKEN]));
  }
  return { ...error, details } as RefFailure;
};

/** The wait for a `retry` of `ms`: at most what a timer can wait (a longer one would fire at once). */
const waitFor = (ms: number): number => Math.min(ms, 2_147_483_647);

/** The error as the reference states it: code and details. */
const failureOf = (error: PorticoError<string> | undefined): RefFailure | undefined =>
  error === undefined ? undefined : { code: error.code as RefFailure["code"], details: { ...error.details } };

// ---------------------------------------------------------------------------------------------
// Pieces of streams
// ---------------------------------------------------------------------------------------------

/** Text with multi-byte UTF-8 characters (2, 3 and 4 bytes), so chunk cuts fall inside them. */
const wideText = (maxLength = 12): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom("a", "é", "€", "𝄞", "😀", "中", " ", "\u00a0", "\"", "\\", "ß", "\u2028", "\uFEFF"), { maxLength }).map((cs) => cs.join(""));

const jsonData: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  wideText().map((s) => JSON.stringify({ s })),
  fc.constantFrom("1", "null", '"x"', "[]", " {} ", "1e999"),
);
const notJson: fc.Arbitrary<string> = fc.oneof(fc.constantFrom("", "{", "{oops", "undefined", "NaN", "'x'", "[1,]", "1 2", "\uFEFF1"), wideText(6).map((s) => `{${s}`));

const terminatorArb = fc.constantFrom("\n", "\n", "\n", "\r\n", "\r");

/** One SSE line (without its terminator), `long` characters for the over-the-limit ones. */
const sseLine = (long: fc.Arbitrary<number>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 10, arbitrary: fc.oneof(jsonData, jsonData, jsonData, notJson).map((d) => `data: ${d}`) },
    { weight: 1, arbitrary: fc.oneof(jsonData, notJson).map((d) => `data:${d}`) },
    { weight: 1, arbitrary: fc.constantFrom("data", "data:", "data: ", "Data: 1", "data :1", " data: 1") },
    { weight: 10, arbitrary: fc.constant("") },
    { weight: 2, arbitrary: fc.oneof(fc.nat(99).map(String), wideText(4), fc.constantFrom("", "a\0b", " x", "17 ")).map((id) => `id: ${id}`) },
    { weight: 1, arbitrary: fc.constantFrom("id", "id:", "ID: 3", "id:9") },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom("tick", "", "message", " sp"), wideText(3)).map((e) => `event: ${e}`) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.integer({ min: 0, max: 10_000 }).map(String), manyDigits, fc.constantFrom("", "-1", "1e3", " 5", "5 ", "1.5", "0x10", "NaN", "٣", "abc"))
        .chain((v) => fc.constantFrom(`retry: ${v}`, `retry:${v}`)),
    },
    { weight: 2, arbitrary: fc.oneof(wideText(), fc.constantFrom("", " keep-alive", ":")).map((c) => `:${c}`) },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom("foo: bar", "foo", ":", "retry", "event", "\uFEFFdata: 1", "datum: 1"), wideText(5)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(long, fc.constantFrom("data: ", ": ", "id: ", "foo: ", "event: ", "data: \""))
        .map(([n, prefix]) => `${prefix}${"x".repeat(Math.max(0, n - prefix.length))}`),
    },
  );

/** Bytes of a stream: text lines with their terminators, sometimes a BOM first, sometimes bytes that are not UTF-8. */
const streamBytes = (line: fc.Arbitrary<string>, { bom = true } = {}): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(
      fc.array(fc.tuple(line, terminatorArb), { maxLength: 24, size: "medium" }),
      fc.oneof(fc.constant(""), line),
      bom ? fc.constantFrom(0, 0, 0, 0, 1, 2) : fc.constant(0),
      fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(fc.nat(), invalidUtf8) }),
    )
    .map(([lines, last, boms, junk]) => {
      const text = `${lines.map(([l, t]) => l + t).join("")}${last}`;
      const parts = [new Uint8Array(boms * 3).map((_, i) => [0xef, 0xbb, 0xbf][i % 3] as number), utf8Bytes(text)];
      if (junk !== undefined) {
        const [at, bad] = junk;
        const bytes = parts[1] as Uint8Array;
        const cut = at % (bytes.byteLength + 1);
        parts.splice(1, 1, bytes.slice(0, cut), bad, bytes.slice(cut));
      }
      return concatBytes(parts);
    });

/** Chunk boundaries for `length` bytes: none, a few anywhere, or every byte its own chunk. */
const cutsFor = (length: number): fc.Arbitrary<number[]> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<number[]>([]) },
    { weight: 6, arbitrary: fc.array(fc.integer({ min: 0, max: length }), { maxLength: 16 }) },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1)) },
  );

/** The item limit of a case, and lines around it (under, at, just over, far over). */
const limitCase = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.integer({ min: 8, max: 200 }) },
);
const longAround = (limit: number | undefined): fc.Arbitrary<number> =>
  limit === undefined ? fc.integer({ min: 100, max: 5000 }) : fc.oneof(fc.integer({ min: limit - 3, max: limit + 3 }), fc.integer({ min: limit, max: limit * 20 }));

interface SseCase {
  readonly key: "GET /events" | "GET /text";
  readonly limit: number | undefined;
  readonly bytes: Uint8Array;
  readonly cuts: number[];
  readonly end: "clean" | "broken";
}

const sseCase: fc.Arbitrary<SseCase> = fc
  .tuple(fc.constantFrom<SseCase["key"]>("GET /events", "GET /events", "GET /text"), limitCase)
  .chain(([key, limit]) =>
    streamBytes(sseLine(longAround(limit))).chain((bytes) =>
      fc.record({
        key: fc.constant(key),
        limit: fc.constant(limit),
        bytes: fc.constant(bytes),
        cuts: cutsFor(bytes.byteLength),
        end: fc.constantFrom<"clean" | "broken">("clean", "clean", "broken"),
      }),
    ),
  );

/** The stage's limit when the case sets none: 16 MiB (docs/streaming.md). */
const limitOf = (limit: number | undefined): number => limit ?? 16 * 1024 * 1024;

async function sseChunkCase(c: SseCase, tally: Tally, server?: RawServer): Promise<void> {
  const clean = c.end === "clean";
  const init = c.limit === undefined ? {} : { maxItemLength: c.limit };
  const run = await runStream(c.key, init, (index) => (index === 0 ? { chunks: chunksOf(c.bytes, c.cuts), end: c.end } : undefined), server);
  expectNoForeign(run);
  const ref = referenceSse(decodeConnection(c.bytes, clean), { json: c.key === "GET /events", maxLength: limitOf(c.limit), lastEventId: undefined, retryMs: DEFAULT_RETRY_MS });
  const where = `bytes ${JSON.stringify(Buffer.from(c.bytes).toString("latin1").slice(0, 2000))}, cuts ${JSON.stringify(c.cuts.slice(0, 40))}`;
  expect(run.items, `events (${where})`).toEqual(ref.items);
  expect(failureOf(run.error), `error (${where})`).toEqual(asKept(ref.error));
  expect(run.lastEventId, `lastEventId after the stream (${where})`).toBe(ref.lastEventId);
  if (ref.error === undefined && !clean) {
    // Broken off: one reconnect (answered 204), after the last valid retry.
    expect(run.sleeps, "the reconnect wait").toEqual([waitFor(ref.retryMs)]);
    expect(run.requests.map((r) => r.lastEventId)).toEqual([undefined, ref.lastEventId]);
  } else {
    expect(run.sleeps).toEqual([]);
    expect(run.requests).toHaveLength(1);
  }
  tally.add(`${run.items.length === 0 ? "no events" : "events"} → ${run.error === undefined ? (clean ? "end" : "reconnect") : `${run.error.code}${"limit" in run.error.details ? " (limit)" : ""}`}`);
}

// ---------------------------------------------------------------------------------------------
// JSON Lines
// ---------------------------------------------------------------------------------------------

const jsonlLine = (long: fc.Arbitrary<number>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: jsonData },
    { weight: 2, arbitrary: notJson },
    { weight: 2, arbitrary: fc.constantFrom("", " ", "\t", "\u00a0", "\r") },
    { weight: 1, arbitrary: fc.tuple(long, fc.boolean()).map(([n, valid]) => (valid ? JSON.stringify("x".repeat(Math.max(0, n - 2))) : "x".repeat(n))) },
  );

interface JsonlCase {
  readonly limit: number | undefined;
  readonly bytes: Uint8Array;
  readonly cuts: number[];
  readonly end: "clean" | "broken";
}

const jsonlCase: fc.Arbitrary<JsonlCase> = limitCase.chain((limit) =>
  fc
    .tuple(fc.array(fc.tuple(jsonlLine(longAround(limit)), fc.constantFrom("\n", "\n", "\r\n")), { maxLength: 24 }), fc.oneof(fc.constant(""), jsonlLine(longAround(limit))), fc.constantFrom(0, 0, 0, 1))
    .map(([lines, last, bom]) => concatBytes([bom === 1 ? new Uint8Array([0xef, 0xbb, 0xbf]) : new Uint8Array(), utf8Bytes(`${lines.map(([l, t]) => l + t).join("")}${last}`)]))
    .chain((bytes) =>
      fc.record({ limit: fc.constant(limit), bytes: fc.constant(bytes), cuts: cutsFor(bytes.byteLength), end: fc.constantFrom<"clean" | "broken">("clean", "clean", "clean", "broken") }),
    ),
);

async function jsonlCaseRun(c: JsonlCase, tally: Tally, server?: RawServer): Promise<void> {
  const clean = c.end === "clean";
  const init = c.limit === undefined ? {} : { maxItemLength: c.limit };
  const run = await runStream("GET /lines", init, (index) => (index === 0 ? { chunks: chunksOf(c.bytes, c.cuts), end: c.end } : undefined), server);
  expectNoForeign(run);
  const ref = referenceJsonLines(decodeConnection(c.bytes, clean), { maxLength: limitOf(c.limit), clean });
  const where = `text ${JSON.stringify(new TextDecoder().decode(c.bytes).slice(0, 2000))}, cuts ${JSON.stringify(c.cuts.slice(0, 40))}`;
  expect(run.items, `items (${where})`).toEqual(ref.items);
  expect(failureOf(run.error), `error (${where})`).toEqual(ref.error);
  // A JSON Lines stream is never sent again.
  expect(run.requests).toHaveLength(1);
  expect(run.sleeps).toEqual([]);
  tally.add(run.error === undefined ? "items" : `${run.error.code}${"limit" in run.error.details ? " (limit)" : ""}`);
}

// ---------------------------------------------------------------------------------------------
// Reconnects
// ---------------------------------------------------------------------------------------------

/** Lines between events that neither dispatch an event nor set an id: comments, retry, unknown fields, NUL ids, blank lines. */
const junkLine: fc.Arbitrary<string> = fc.oneof(
  fc.oneof(fc.integer({ min: 0, max: 10_000 }).map(String), manyDigits, fc.constantFrom("", "-1", "1e3", " 5", "x")).map((v) => `retry: ${v}`),
  fc.oneof(wideText(), fc.constant("")).map((c) => `:${c}`),
  fc.constantFrom("foo: bar", "id: a\0b", "", "", "event", "retry"),
);

interface ResumeCase {
  /** Per event: the junk lines before it, its data text and the terminators used. */
  readonly events: ReadonlyArray<{ readonly junk: readonly string[]; readonly text: string; readonly eventName: string | undefined }>;
  readonly terminators: readonly string[];
  /** Per broken connection: where it is cut (taken modulo its length + 1) and how it is chunked. */
  readonly breaks: ReadonlyArray<{ readonly at: number; readonly cuts: readonly number[] }>;
  readonly lastCuts: readonly number[];
  readonly retryMs: number | undefined;
  readonly reconnectOnEnd: boolean;
}

const resumeCase: fc.Arbitrary<ResumeCase> = fc.record({
  events: fc.array(fc.record({ junk: fc.array(junkLine, { maxLength: 3 }), text: wideText(8), eventName: fc.option(fc.constantFrom("tick", "é"), { nil: undefined }) }), { minLength: 1, maxLength: 8 }),
  terminators: fc.array(terminatorArb, { minLength: 1, maxLength: 8 }),
  breaks: fc.array(fc.record({ at: fc.nat(), cuts: fc.array(fc.nat(), { maxLength: 6 }) }), { minLength: 1, maxLength: 4 }),
  lastCuts: fc.array(fc.nat(), { maxLength: 6 }),
  retryMs: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }),
  reconnectOnEnd: fc.boolean(),
});

/** The server's stream from after event `after` (0: from the start): each event's junk, then the event with its id. */
function resumeText(c: ResumeCase, after: number): string {
  const lines: string[] = [];
  c.events.forEach((e, index) => {
    if (index < after) return;
    lines.push(...e.junk, `id: ${index + 1}`);
    if (e.eventName !== undefined) lines.push(`event: ${e.eventName}`);
    // Two data lines, joined with "\n" by the reader: still one JSON text.
    lines.push(`data: {"n":${index + 1},`, `data: "s":${JSON.stringify(e.text)}}`, "");
  });
  let text = "";
  let previous = "";
  lines.forEach((line, index) => {
    let end = c.terminators[index % c.terminators.length] as string;
    // CR, then an empty line ended by LF, would read as one CRLF: the empty line (a dispatch) would vanish.
    if (previous === "\r" && line === "" && end.startsWith("\n")) end = "\r";
    text += line + end;
    previous = end;
  });
  return text;
}

async function resumeCaseRun(c: ResumeCase, tally: Tally): Promise<void> {
  const connections: Array<{ bytes: Uint8Array; clean: boolean }> = [];
  const run = await runStream("GET /events", { maxReconnects: 50, ...(c.retryMs === undefined ? {} : { retryMs: c.retryMs }), reconnectOnEnd: c.reconnectOnEnd }, (index, lastEventId) => {
    const after = lastEventId === undefined ? 0 : Number(lastEventId);
    if (!Number.isInteger(after) || after < 0 || after > c.events.length) throw new Error(`a Last-Event-ID the server never sent: ${lastEventId}`);
    const full = utf8Bytes(resumeText(c, after));
    const cut = c.breaks[index];
    if (cut === undefined) {
      if (connections.some((k) => k.clean)) return undefined;
      connections.push({ bytes: full, clean: true });
      return { chunks: chunksOf(full, c.lastCuts.map((n) => n % (full.byteLength + 1))), end: "clean" };
    }
    const bytes = full.slice(0, cut.at % (full.byteLength + 1));
    connections.push({ bytes, clean: false });
    return { chunks: chunksOf(bytes, cut.cuts.map((n) => n % (bytes.byteLength + 1))), end: "broken", resetMessage: `socket hang up after ${TOKEN}` };
  });
  expectNoForeign(run);
  expect(run.error, "no error").toBeUndefined();
  // Every event once, in order.
  expect(run.items.map((e) => (e as RefEvent).id)).toEqual(c.events.map((_, i) => String(i + 1)));
  expect(run.items.map((e) => (e as { data: { n: number } }).data.n)).toEqual(c.events.map((_, i) => i + 1));
  expect(run.items.map((e) => (e as { data: { s: string } }).data.s)).toEqual(c.events.map((e) => e.text));
  expect(run.items.map((e) => (e as RefEvent).event)).toEqual(c.events.map((e) => e.eventName ?? "message"));
  // Each wait is the last valid retry seen so far (or the default), and each request resumes from the last id.
  let lastEventId: string | undefined;
  let retryMs = c.retryMs ?? DEFAULT_RETRY_MS;
  const waits: number[] = [];
  const ids: Array<string | undefined> = [];
  connections.forEach((connection, index) => {
    ids.push(lastEventId);
    const ref = referenceSse(decodeConnection(connection.bytes, connection.clean), { json: true, maxLength: limitOf(undefined), lastEventId, retryMs });
    lastEventId = ref.lastEventId;
    retryMs = ref.retryMs;
    if (!connection.clean || (c.reconnectOnEnd && index === connections.length - 1)) waits.push(waitFor(retryMs));
  });
  if (c.reconnectOnEnd) ids.push(lastEventId);
  expect(run.sleeps, "the reconnect waits").toEqual(waits);
  expect(run.requests.map((r) => r.lastEventId), "Last-Event-ID of each request").toEqual(ids);
  tally.add(`${connections.length} connections`);
}

// ---------------------------------------------------------------------------------------------
// The credential echoed by the server
// ---------------------------------------------------------------------------------------------

type Echo = "raw" | "percent" | "json" | "base64";
const echoed = (echo: Echo): string =>
  echo === "raw" ? TOKEN : echo === "percent" ? encodeURIComponent(TOKEN) : echo === "json" ? JSON.stringify(TOKEN).slice(1, -1) : Buffer.from(TOKEN).toString("base64");
const anEcho = fc.constantFrom<Echo>("raw", "percent", "json", "base64");

/** Lines that carry the credential where a server could echo it. */
const echoLine: fc.Arbitrary<string> = anEcho.chain((echo) => {
  const t = echoed(echo);
  return fc.constantFrom(
    `id: ${t}`,
    `event: ${t}`,
    `data: ${t}`,
    `data: {"token":"${t}"}`,
    `data: {"token":"${t}"`,
    `${t}`,
    `: ${t}`,
    `retry: ${t}`,
    `data: ${t}${"x".repeat(300)}`,
    `{"token":"${t}"}`,
    `{"token":"${t}"`,
    `${"x".repeat(300)}${t}`,
    `${t}${"y".repeat(300)}`,
  );
});

interface CanaryCase {
  readonly key: Key;
  readonly lines: ReadonlyArray<readonly [string, string]>;
  readonly cuts: number[];
  readonly end: "clean" | "broken";
  readonly limit: number | undefined;
  readonly contentType: string | undefined;
  readonly maxReconnects: number;
}

const canaryCase: fc.Arbitrary<CanaryCase> = fc.record({
  key: fc.constantFrom<Key>("GET /events", "GET /text", "GET /lines"),
  lines: fc.array(fc.tuple(fc.oneof(echoLine, echoLine, fc.constant(""), jsonData.map((d) => `data: ${d}`)), terminatorArb), { minLength: 1, maxLength: 10 }),
  cuts: fc.array(fc.nat(), { maxLength: 8 }),
  end: fc.constantFrom<"clean" | "broken">("clean", "broken"),
  limit: fc.constantFrom(undefined, 64, 200),
  contentType: fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: anEcho.map((echo) => `text/plain; token=${echoed(echo).replace(/[=;]/g, "")}`) },
  ),
  maxReconnects: fc.integer({ min: 0, max: 2 }),
});

function leaksIn(values: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [where, value] of Object.entries(values)) {
    for (const [path, node] of causeChain(value)) {
      for (const [view, text] of printedViews(node)) {
        if (needles.some((needle) => text.includes(needle))) found.push(`${where}${path} (${view}): ${text.slice(0, 300)}`);
      }
    }
  }
  return found;
}

async function canaryCaseRun(c: CanaryCase, tally: Tally): Promise<void> {
  const bytes = utf8Bytes(c.lines.map(([l, t]) => l + t).join(""));
  // The same answer to the first three requests (a server that ignores Last-Event-ID), then 204.
  const run = await runStream(c.key, { maxReconnects: c.maxReconnects, ...(c.limit === undefined ? {} : { maxItemLength: c.limit }) }, (index) => index > 2 ? undefined : ({
    chunks: chunksOf(bytes, c.cuts.map((n) => n % (bytes.byteLength + 1))),
    end: c.end,
    resetMessage: `read ECONNRESET (Authorization: Bearer ${TOKEN})`,
    ...(c.contentType === undefined ? {} : { contentType: c.contentType }),
  }));
  expectNoForeign(run);
  if (run.error !== undefined) {
    expect(["STREAM_MALFORMED", "STREAM_INTERRUPTED", "UNEXPECTED_RESPONSE"]).toContain(run.error.code);
    // Every part of the error, details included (the server's event id and name are redacted there).
    const leaks = leaksIn({ error: run.error, message: run.error.message, stack: run.error.stack, cause: run.error.cause, details: run.error.details });
    if (leaks.length > 0) throw new Error(`the credential in a stream error:\n${leaks.join("\n")}`);
  }
  tally.add(run.error === undefined ? "ended" : run.error.code);
}

// ---------------------------------------------------------------------------------------------

describe("streams (property)", () => {
  it(
    "SSE: any stream, any chunking: the events of a reference decoding of the same bytes, STREAM_MALFORMED or a clean end, nothing else",
    async () => {
      const tally = new Tally();
      await checkProperty("streams: SSE chunking", fc.asyncProperty(sseCase, (c) => sseChunkCase(c, tally)), undefined, tally);
    },
    fuzzTimeout(5),
  );

  it(
    "JSON Lines: any lines, any chunking: JSON.parse of each line up to the first bad one, which is STREAM_MALFORMED naming its line",
    async () => {
      const tally = new Tally();
      await checkProperty("streams: JSON Lines chunking", fc.asyncProperty(jsonlCase, (c) => jsonlCaseRun(c, tally)), undefined, tally);
    },
    fuzzTimeout(5),
  );

  it(
    "SSE cut at any offset and resumed with Last-Event-ID: no event lost or repeated; each wait is the last valid retry",
    async () => {
      const tally = new Tally();
      await checkProperty("streams: reconnects", fc.asyncProperty(resumeCase, (c) => resumeCaseRun(c, tally)), undefined, tally);
    },
    fuzzTimeout(5),
  );

  it(
    "the credential echoed in ids, event names, data, malformed and huge lines and the content type is in no stream error",
    async () => {
      const tally = new Tally();
      await checkProperty("streams: the credential echoed", fc.asyncProperty(canaryCase, (c) => canaryCaseRun(c, tally)), undefined, tally);
    },
    fuzzTimeout(5),
  );

  // An id that echoes the credential: the stage keeps it through its client's redactor.
  it("an event id that echoes the credential is redacted in STREAM_INTERRUPTED's details.eventId", async () => {
    const bytes = utf8Bytes(`id: ${TOKEN}\ndata: {}\n\n`);
    const run = await runStream("GET /events", { maxReconnects: 0 }, (index) => (index === 0 ? { chunks: [bytes], end: "broken" } : { chunks: [], end: "broken" }));
    expect(run.error?.code).toBe("STREAM_INTERRUPTED");
    expect(run.error?.message).not.toContain(TOKEN);
    expect(leaksIn({ details: run.error?.details })).toEqual([]);
  });

  describe("over a loopback socket, with the platform's fetch", () => {
    const rawServer = useRawServer();

    it(
      "SSE and JSON Lines: the same properties, the bytes read from a real socket",
      async () => {
        const server = rawServer();
        const sse = new Tally();
        const lines = new Tally();
        const runs = runsFor(1 / 20);
        // The socket ends the body cleanly after its content-length: no broken ends here.
        await checkProperty("streams: SSE over a loopback socket", fc.asyncProperty(sseCase.map((c) => ({ ...c, end: "clean" as const })), (c) => sseChunkCase(c, sse, server)), runs, sse);
        await checkProperty("streams: JSON Lines over a loopback socket", fc.asyncProperty(jsonlCase.map((c) => ({ ...c, end: "clean" as const })), (c) => jsonlCaseRun(c, lines, server)), runs, lines);
      },
      fuzzTimeout(40, runsFor(1 / 20) * 2),
    );
  });
});
