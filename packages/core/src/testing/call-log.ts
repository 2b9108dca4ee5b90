/**
 * The recorder both fetchers share: one masked entry per request, in the order requests were
 * made, and the lookup of a route's requests.
 */
import { TestingError } from "./errors.js";
import { maskBody, maskHeaders, maskQuery, maskUrl } from "./mask.js";
import { compileRoute, matchRoute, type RoutePattern } from "./route-table.js";
import type { RecordedCall } from "./types.js";

/** A recorded call the fetcher still fills in (body once read, status once answered). */
export interface OpenCall {
  readonly record: RecordedCall;
  body(value: unknown): void;
  answered(status: number): void;
}

/** What a fetcher knows of a request when it starts recording it. */
export interface CallStart {
  readonly route: string | undefined;
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, string>>;
}

type MutableCall = { -readonly [K in keyof RecordedCall]: RecordedCall[K] };

export interface CallLog {
  readonly calls: readonly RecordedCall[];
  start(request: CallStart): OpenCall;
  callsTo(route: string): readonly RecordedCall[];
  clear(): void;
}

/** A call log; `maskedHeaders` are header names masked besides the built-in ones. */
export function createCallLog(maskedHeaders: ReadonlySet<string>): CallLog {
  let calls: MutableCall[] = [];
  const patterns = new Map<string, RoutePattern>();
  return {
    get calls(): readonly RecordedCall[] {
      return calls;
    },
    start(request) {
      const call: MutableCall = {
        route: request.route,
        method: request.method,
        url: maskUrl(request.url),
        path: request.url.pathname,
        query: maskQuery(request.query),
        params: request.params,
        headers: maskHeaders(request.headers, maskedHeaders),
        body: undefined,
        status: undefined,
      };
      calls.push(call);
      return {
        record: call,
        body: (value) => void (call.body = maskBody(value)),
        answered: (status) => void (call.status = status),
      };
    },
    callsTo(route) {
      if (typeof route !== "string") throw new TestingError("INVALID_OPTIONS", `callsTo() takes a route key such as "GET /v1/items/{itemId}", not ${typeof route}.`);
      let pattern = patterns.get(route);
      if (pattern === undefined) patterns.set(route, (pattern = compileRoute(route)));
      const only = [pattern];
      return calls.filter((call) => (call.route !== undefined ? call.route === route : matchRoute(only, call.method, call.path, undefined) !== undefined));
    },
    clear() {
      calls = [];
    },
  };
}
