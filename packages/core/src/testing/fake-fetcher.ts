/**
 * `fakeFetcher(routes)`: a fetcher that answers from a table of routes keyed by the generated
 * clients' operation keys, with real `Response` objects, and records every request. No socket,
 * no Node built-in: it runs wherever `fetch` does.
 */
import * as z from "zod/mini";
import type { FetcherInit } from "../client/types.js";
import { canParseUrl, firstIssue, HEADER_NAME, isPlainObject } from "../internal/option-schema.js";
import { createCallLog, type OpenCall } from "./call-log.js";
import { TestingError } from "./errors.js";
import { bodyOf, headersOf, queryOf } from "./incoming.js";
import { isNetworkErrorReply, networkFailure, toResponse } from "./replies.js";
import { compileRoute, matchRoute, otherMethods, type RoutePattern } from "./route-table.js";
import type { FakeAnswer, FakeFetcher, FakeRequest, FakeRoutes, RecordedCall } from "./types.js";

/** Options of {@link fakeFetcher} and {@link recordingFetcher}. */
export interface FakeFetcherOptions {
  /**
   * Only URLs under this base answer, and a route's template must match the rest of the path
   * exactly. Without it any origin answers, and a template matches the end of the path (so a
   * client's base path, `https://host/api` + `/v1/items`, needs no configuration).
   */
  readonly baseUrl?: string;
  /** More header names to mask in the recorded calls (credential headers are masked already). */
  readonly maskHeaders?: readonly string[];
}

let optionsSchema: z.ZodMiniType<FakeFetcherOptions> | undefined;

/** The options, checked once; a mistake is `INVALID_OPTIONS` naming the option. */
export function parseFakeOptions(options: unknown, factory: string): { readonly base: URL | undefined; readonly masked: ReadonlySet<string> } {
  optionsSchema ??= z.strictObject({
    baseUrl: z.optional(z.string().check(z.refine(canParseUrl, { error: "must be an absolute URL, e.g. https://api.example.com/v2" }))),
    maskHeaders: z.optional(z.array(z.string().check(z.refine((name) => HEADER_NAME.test(name), { error: "must be header names" })))),
  }) as z.ZodMiniType<FakeFetcherOptions>;
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const { path, message } = firstIssue(parsed.error);
    throw new TestingError("INVALID_OPTIONS", `${factory}: option ${path || "options"} ${message}.`, { option: path });
  }
  const base = parsed.data.baseUrl === undefined ? undefined : new URL(parsed.data.baseUrl);
  return { base, masked: new Set((parsed.data.maskHeaders ?? []).map((name) => name.toLowerCase())) };
}

/** Whether `url` is under `base`, and the base path to strip. */
export function basePathFor(url: URL, base: URL | undefined): string | undefined | false {
  if (base === undefined) return undefined;
  const basePath = base.pathname.replace(/\/+$/, "");
  if (url.origin !== base.origin) return false;
  return url.pathname === basePath || url.pathname.startsWith(`${basePath}/`) ? basePath : false;
}

interface Route {
  readonly pattern: RoutePattern;
  readonly answers: readonly FakeAnswer[];
}

/**
 * A fetcher for unit tests: answers each request from `routes` and records it, without a
 * socket. Pass it as a client's `fetcher`.
 *
 * - **Routes** are keyed `"METHOD /path/template"`, the operation keys of the generated clients.
 *   With the client's `paths` type (`fakeFetcher<paths>(...)`), an unknown key, a wrong body or an
 *   undeclared status is a compile error, and handlers receive typed `params`, `query` and `body`.
 * - **Answers**: a handler `(request) => reply`, a fixed reply `{ status, body?, text?, headers? }`,
 *   a `Response` returned by a handler, or `networkError()`. A list is a sequence: request N gets
 *   answer N, and the last one repeats (`[{ status: 503 }, { status: 200, body }]` tests a retry).
 *   A handler that throws makes the fetcher reject with what it threw.
 * - **Unknown routes** reject with a `TestingError` `UNHANDLED_REQUEST` whose message names the
 *   request and lists the known routes. A rejection rather than a made-up 501: the client does
 *   not retry it, returns it as `{ error }` (or throws it under `throwOnError`) with that message,
 *   and no code path of your app can mistake it for an answer of the API. `fetcher.unhandled`
 *   keeps them.
 * - **Recorder**: `fetcher.calls` and `fetcher.callsTo(key)` hold every request (method, URL,
 *   headers, parsed body, answered status) with credentials masked.
 * - The signal is honoured: a handler still pending when the client's timeout or your `signal`
 *   aborts makes the fetcher reject with the abort reason, as `fetch` does.
 *
 * @example
 * import { createImsApiClient, type paths } from "@atrope-ai/api-client";
 * import { fakeFetcher } from "@portico/core/testing";
 *
 * const fetcher = fakeFetcher<paths>({
 *   "GET /v1/items/{itemId}": ({ params }) => ({ status: 200, body: { ...item, id: params.itemId } }),
 *   "GET /v1/me": [{ status: 503 }, { status: 200, body: me }],
 * });
 * const ims = createImsApiClient({ baseUrl: "https://api.atrope.dev", fetcher });
 * await ims.GET("/v1/items/{itemId}", { params: { path: { itemId: "itm_1" } } });
 * fetcher.callsTo("GET /v1/items/{itemId}"); // [{ method: "GET", url: "https://api.atrope.dev/v1/items/itm_1", ... }]
 */
export function fakeFetcher<Paths extends {} = never>(routes: FakeRoutes<Paths>, options: FakeFetcherOptions = {}): FakeFetcher<Paths> {
  const { base, masked } = parseFakeOptions(options, "fakeFetcher");
  const initial = compileRoutes(routes);
  let table = initial;
  let patterns = [...table.values()].map((route) => route.pattern);
  const counts = new Map<string, number>();
  const log = createCallLog(masked);
  let unhandled: RecordedCall[] = [];

  const fetcher = (async (url: string, init?: FetcherInit): Promise<Response> => {
    const target = new URL(url);
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = headersOf(init);
    const basePath = basePathFor(target, base);
    const match = basePath === false ? undefined : matchRoute(patterns, method, target.pathname, basePath);
    const query = queryOf(target);
    const call = log.start({ route: match?.pattern.key, method, url: target, headers, query, params: match?.params ?? {} });
    const body = bodyOf(init?.body, headers["content-type"]);

    if (match === undefined) {
      unhandled.push(call.record);
      call.body(await body);
      throw unhandledError(method, target, patterns, base, basePath);
    }
    const route = table.get(match.pattern.key)!;
    const n = (counts.get(route.pattern.key) ?? 0) + 1;
    counts.set(route.pattern.key, n);
    const answer = route.answers[Math.min(n, route.answers.length) - 1]!;
    const parsed = await body;
    call.body(parsed);
    return answerWith(answer, { route: route.pattern.key, method, url: target, params: match.params, query, headers, body: parsed, call: n, signal: init?.signal }, call);
  }) as FakeFetcher<Paths>;

  Object.defineProperties(fetcher, {
    calls: { get: () => log.calls, enumerable: true },
    unhandled: { get: () => unhandled, enumerable: true },
  });
  return Object.assign(fetcher, {
    callsTo: log.callsTo as FakeFetcher<Paths>["callsTo"],
    clear(): void {
      log.clear();
      unhandled = [];
    },
    use(more: FakeRoutes<Paths>): void {
      const added = compileRoutes(more);
      table = new Map([...table, ...added]);
      patterns = [...table.values()].map((route) => route.pattern);
      for (const key of added.keys()) counts.delete(key);
    },
    reset(): void {
      table = initial;
      patterns = [...table.values()].map((route) => route.pattern);
      counts.clear();
      log.clear();
      unhandled = [];
    },
  });
}

/** Runs one answer: a handler (raced against the request's signal) or a fixed reply, into a `Response`. */
async function answerWith(answer: FakeAnswer, request: FakeRequest, call: OpenCall): Promise<Response> {
  const { signal } = request;
  if (signal?.aborted) throw signal.reason;
  const result = typeof answer === "function" ? await untilAborted(Promise.resolve().then(() => answer(request)), signal) : answer;
  if (isNetworkErrorReply(result)) throw networkFailure(result);
  const response = toResponse(result, request.route);
  call.answered(response.status);
  return response;
}

/** Settles with `work`, or rejects with the signal's reason if it aborts first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Checks and compiles a route table; a mistake is `INVALID_OPTIONS` naming the route. */
function compileRoutes(routes: unknown): Map<string, Route> {
  if (!isPlainObject(routes)) {
    throw new TestingError("INVALID_OPTIONS", 'fakeFetcher: routes must be an object keyed by "METHOD /path/template", e.g. { "GET /v1/items/{itemId}": handler }.');
  }
  const table = new Map<string, Route>();
  for (const [key, value] of Object.entries(routes)) {
    const pattern = compileRoute(key);
    const answers = Array.isArray(value) ? (value as unknown[]) : [value];
    if (answers.length === 0) throw new TestingError("INVALID_OPTIONS", `fakeFetcher: route "${key}" has an empty sequence; give at least one answer.`, { route: key });
    for (const answer of answers) checkAnswer(key, answer);
    table.set(key, { pattern, answers: answers as FakeAnswer[] });
  }
  return table;
}

function checkAnswer(key: string, answer: unknown): void {
  if (typeof answer === "function" || isNetworkErrorReply(answer)) return;
  if (answer instanceof Response) {
    throw new TestingError("INVALID_OPTIONS", `fakeFetcher: route "${key}" answers with a Response object, whose body can be read once; return it from a handler instead: () => new Response(...).`, { route: key });
  }
  if (!isPlainObject(answer) || typeof (answer as { status?: unknown }).status !== "number") {
    throw new TestingError("INVALID_OPTIONS", `fakeFetcher: route "${key}" answers with something that is not a reply; give a handler, { status, body?, text?, headers? }, or networkError().`, { route: key });
  }
  // A fixed reply is checked now, not at its first request.
  toResponse(answer, key);
}

function unhandledError(method: string, url: URL, patterns: readonly RoutePattern[], base: URL | undefined, basePath: string | undefined | false): TestingError<"UNHANDLED_REQUEST"> {
  const request = `${method} ${url.pathname}`;
  const known = patterns.length === 0 ? "none" : patterns.map((p) => p.key).join(", ");
  let hint: string;
  if (basePath === false) {
    hint = `it is not under the baseUrl option (${base?.href ?? ""})`;
  } else {
    const others = otherMethods(patterns, method, url.pathname, basePath);
    hint = others.length > 0 ? `the path has routes for other methods only (${others.join(", ")})` : "no route template matches its path";
  }
  return new TestingError(
    "UNHANDLED_REQUEST",
    `The fake fetcher has no route for ${request}: ${hint}. Known routes: ${known}. Add a route for it to fakeFetcher({ ... }) or fix the request.`,
    { request, knownRoutes: patterns.map((p) => p.key) },
  );
}
