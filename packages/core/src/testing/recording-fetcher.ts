/**
 * `recordingFetcher(inner)`: passes every request on to another fetcher (a real one, a loopback
 * server's, a fake) and records it, credentials masked, as nock's recorder does.
 */
import type { Fetcher, FetcherInit } from "../client/types.js";
import { createCallLog } from "./call-log.js";
import { TestingError } from "./errors.js";
import { parseFakeOptions, type FakeFetcherOptions } from "./fake-fetcher.js";
import { bodyOf, headersOf, queryOf } from "./incoming.js";
import type { RecordingFetcher } from "./types.js";

/** Options of {@link recordingFetcher}: the header names to mask besides the credential headers. */
export type RecordingFetcherOptions = Pick<FakeFetcherOptions, "maskHeaders">;

/**
 * Wraps a fetcher so every request it sends is recorded (method, URL, headers and parsed body,
 * credentials masked, and the status answered), e.g. to see what a client sent to a sandbox.
 * `callsTo("POST /v1/orders")` finds requests by method and path template, at any base path.
 *
 * @param inner the fetcher that sends. @default globalThis.fetch, looked up at call time
 * @example
 * const fetcher = recordingFetcher<paths>();
 * const ims = createImsApiClient({ baseUrl: sandboxUrl, fetcher, auth });
 * await ims.POST("/v1/items", { body: newItem });
 * fetcher.callsTo("POST /v1/items")[0]?.headers["idempotency-key"];
 */
export function recordingFetcher<Paths extends {} = never>(inner?: Fetcher, options: RecordingFetcherOptions = {}): RecordingFetcher<Paths> {
  if (inner !== undefined && typeof inner !== "function") {
    throw new TestingError("INVALID_OPTIONS", "recordingFetcher: the first argument is the fetcher to wrap, (url, init) => Promise<Response>; leave it out to use globalThis.fetch.");
  }
  const { masked } = parseFakeOptions(options, "recordingFetcher");
  const log = createCallLog(masked);

  const fetcher = (async (url: string, init?: FetcherInit): Promise<Response> => {
    const target = new URL(url);
    const headers = headersOf(init);
    const call = log.start({ route: undefined, method: (init?.method ?? "GET").toUpperCase(), url: target, headers, query: queryOf(target), params: {} });
    // The recorder reads its own view of the body (a stream, readable once, is left to the inner fetcher).
    if (!(init?.body instanceof ReadableStream)) call.body(await bodyOf(init?.body, headers["content-type"]));
    const send: Fetcher = inner ?? ((u, i) => globalThis.fetch(u, i as RequestInit));
    const response = await send(url, init ?? { method: "GET", headers: {} });
    call.answered(response.status);
    return response;
  }) as RecordingFetcher<Paths>;

  Object.defineProperty(fetcher, "calls", { get: () => log.calls, enumerable: true });
  return Object.assign(fetcher, {
    callsTo: log.callsTo as RecordingFetcher<Paths>["callsTo"],
    clear: log.clear,
  });
}
