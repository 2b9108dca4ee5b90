import { Agent, request, type Dispatcher } from "undici";
import type { FetcherInit } from "@portico/core";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";
import { responseFromUndici } from "./response-from-undici.js";

/** Keep-alive pool settings of a Node fetcher (undici `Agent` options). */
export interface NodeFetcherOptions {
  /** Maximum sockets per origin. @default unlimited */
  connections?: number;
  /** HTTP/1.1 requests pipelined per socket (1 = no pipelining). @default 1 */
  pipelining?: number;
  /** Idle time before a kept-alive socket closes, ms. @default 10000 */
  keepAliveTimeout?: number;
  /** Time to wait for response headers, ms. @default 300000 */
  headersTimeout?: number;
  /** Time allowed between two body chunks, ms. @default 300000 */
  bodyTimeout?: number;
  /** TCP/TLS connect timeout, ms. @default 10000 */
  connectTimeout?: number;
  /** Redirects followed when `init.redirect` is `"follow"` (the fetch default). @default 20 */
  maxRedirections?: number;
  /** Use this undici dispatcher (Agent, Pool, ProxyAgent, MockAgent...) instead of creating one; the other pool options are then ignored. */
  dispatcher?: Dispatcher;
}

/**
 * What a node fetcher accepts: core's `FetcherInit` (the fast path) or any `fetch` `RequestInit`.
 * `dispatcher` (an undici `Dispatcher`, as Node's `fetch` takes it) sends this request, and the
 * redirects it follows, through that dispatcher instead of the fetcher's pool: a `mutualTLS`
 * credential's agent, a proxy.
 */
export type NodeFetcherInit = FetcherInit | (RequestInit & { dispatcher?: Dispatcher });

/**
 * A fetch-compatible function on undici's dispatcher API, with its pool exposed for shutdown.
 * Usable as core's `Fetcher` (API calls) and as a token-request fetcher.
 */
export interface NodeFetcher {
  (url: string, init?: NodeFetcherInit): Promise<Response>;
  /** The keep-alive dispatcher every call goes through, unless the call's `init.dispatcher` names another. */
  readonly dispatcher: Dispatcher;
  /** Closes the pool once in-flight requests finish (no-op for a dispatcher passed in). */
  close(): Promise<void>;
}

/** Headers never carried to another origin on a followed redirect. */
const CROSS_ORIGIN_STRIPPED = ["authorization", "proxy-authorization", "cookie", "x-api-key"];

/**
 * Creates a `Fetcher` on `undici.request` over one keep-alive pool: same contract as `fetch`
 * (status, headers, body readable once, streaming, `signal`, `redirect`) at a fraction of its
 * per-call cost. Create one per process and share it across every tenant client.
 *
 * @example
 * const fetcher = createNodeFetcher({ connections: 64 });
 * const ims = createImsApiClient({ fetcher, auth });
 */
export function createNodeFetcher(options: NodeFetcherOptions = {}): NodeFetcher {
  validate(options);
  const owned = options.dispatcher === undefined;
  let dispatcher = options.dispatcher;
  const getDispatcher = (): Dispatcher => (dispatcher ??= createAgent(options));
  const maxRedirections = options.maxRedirections ?? 20;

  const fetcher = ((url: string, init?: NodeFetcherInit) => {
    const own = requestDispatcher(init);
    return own instanceof PorticoNodeError ? Promise.reject(own) : send(url, init ?? {}, own ?? getDispatcher(), maxRedirections);
  }) as NodeFetcher;
  Object.defineProperty(fetcher, "dispatcher", { get: getDispatcher, enumerable: true });
  fetcher.close = async () => {
    if (owned && dispatcher !== undefined) await dispatcher.close();
  };
  return fetcher;
}

/**
 * The process-wide default fetcher: one lazily created keep-alive pool shared by every client
 * that uses it.
 */
export const nodeFetcher: NodeFetcher = /*@__PURE__*/ createNodeFetcher();

function createAgent(options: NodeFetcherOptions): Agent {
  return new Agent({
    keepAliveTimeout: options.keepAliveTimeout ?? 10_000,
    ...(options.connections !== undefined && { connections: options.connections }),
    ...(options.pipelining !== undefined && { pipelining: options.pipelining }),
    ...(options.headersTimeout !== undefined && { headersTimeout: options.headersTimeout }),
    ...(options.bodyTimeout !== undefined && { bodyTimeout: options.bodyTimeout }),
    connect: { timeout: options.connectTimeout ?? 10_000 },
  });
}

/** `@portico/core`'s cheap abort source of an attempt (see `ABORT_SOURCE` in `@portico/core/internal`). */
const ABORT_SOURCE = Symbol.for("portico.abort-source");

/** What undici takes as a signal: an `AbortSignal`, or an event emitter with `aborted` and `reason`. */
type AbortSource = Pick<AbortSignal, "aborted" | "reason"> & { once(event: "abort", listener: () => void): unknown };
type RequestSignal = AbortSignal | AbortSource;

/**
 * The request's abort signal: core's attempt source when it gave one (undici listens to it as an
 * event emitter, which costs far less than an `AbortSignal` and its listeners), else `init.signal`.
 */
function signalOf(init: NodeFetcherInit): RequestSignal | undefined {
  const source = (init as { [ABORT_SOURCE]?: AbortSource })[ABORT_SOURCE];
  if (source !== undefined && typeof source.once === "function") return source;
  return init.signal ?? undefined;
}

async function send(url: string, init: NodeFetcherInit, dispatcher: Dispatcher, maxRedirections: number): Promise<Response> {
  const signal = signalOf(init);
  if (signal?.aborted) throw signal.reason;
  let method = (init.method ?? "GET").toUpperCase();
  let headers = plainHeaders(init.headers);
  let body: string | Uint8Array | undefined;
  if (typeof init.body === "string" || init.body instanceof Uint8Array) body = init.body;
  else if (init.body != null) {
    headers = { ...headers };
    body = await bufferBody(init.body, headers);
  }
  let current = url;
  for (let redirects = 0; ; redirects++) {
    let data: Dispatcher.ResponseData;
    try {
      data = await request(current, { method: method as Dispatcher.HttpMethod, headers, body, signal, dispatcher });
    } catch (error) {
      throw signal?.aborted ? signal.reason : new TypeError("fetch failed", { cause: error });
    }
    const location = isRedirect(data.statusCode) ? data.headers.location : undefined;
    if (location === undefined || init.redirect === "manual") {
      return responseFromUndici(data, method, signal);
    }
    data.body.dump().catch(() => {});
    if (init.redirect === "error") throw new TypeError("fetch failed", { cause: new Error("unexpected redirect") });
    if (redirects >= maxRedirections) throw new TypeError("fetch failed", { cause: new Error("redirect count exceeded") });
    const next = new URL(Array.isArray(location) ? (location[0] ?? "") : location, current);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new TypeError("fetch failed", { cause: new Error(`redirect to unsupported scheme ${next.protocol}`) });
    }
    if (data.statusCode === 303 ? method !== "GET" && method !== "HEAD" : data.statusCode <= 302 && method === "POST") {
      method = "GET";
      body = undefined;
      headers = withoutHeaders(headers, (name) => name.startsWith("content-"));
    }
    if (next.origin !== new URL(current).origin) {
      headers = withoutHeaders(headers, (name) => CROSS_ORIGIN_STRIPPED.includes(name));
    }
    current = next.href;
  }
}

/** The per-request dispatcher of `init`, if any; an error value when it is not a dispatcher. */
function requestDispatcher(init: NodeFetcherInit | undefined): Dispatcher | PorticoNodeError | undefined {
  const given: unknown = init?.dispatcher;
  if (given === undefined || given === null) return undefined;
  if (typeof (given as Partial<Dispatcher>).dispatch !== "function") {
    return new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, 'node fetcher: "dispatcher" must be an undici Dispatcher (an Agent, Pool, ProxyAgent...)');
  }
  return given as Dispatcher;
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function plainHeaders(headers: HeadersInit | undefined): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers));
  return headers as Record<string, string>;
}

/** Slow path for `RequestInit` bodies other than string/bytes (URLSearchParams, Blob, FormData, streams): buffered once; sets `headers` content-type if absent. */
async function bufferBody(body: BodyInit, headers: Record<string, string>): Promise<Uint8Array> {
  const wrapped = new Response(body);
  const type = wrapped.headers.get("content-type");
  if (type !== null && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) headers["content-type"] = type;
  return new Uint8Array(await wrapped.arrayBuffer());
}

function withoutHeaders(headers: Record<string, string>, drop: (lowerName: string) => boolean): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !drop(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}

function validate(options: NodeFetcherOptions): void {
  for (const name of ["connections", "pipelining", "keepAliveTimeout", "headersTimeout", "bodyTimeout", "connectTimeout", "maxRedirections"] as const) {
    const value = options[name];
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
      throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, `createNodeFetcher: "${name}" must be a non-negative integer`);
    }
  }
}
