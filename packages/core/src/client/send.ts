import { ABORT_SOURCE, type AttemptSignal } from "../resilience/attempt-signal.js";
import {
  defaultBodySerializer,
  defaultPathSerializer,
  type MergedOptions,
  type Middleware,
  type MiddlewareRequestParams,
} from "openapi-fetch";
import { PorticoError } from "../errors/portico-error.js";
import { followedToOtherOrigin } from "../internal/cross-origin.js";
import type { Fetcher, FetcherInit } from "./types.js";

/** Redirect hops followed (same origin only) before giving up. */
const MAX_REDIRECTS = 5;

/** One attempt as the fetcher will see it. */
export interface Outgoing {
  /** The operation (`GET /v1/items`), for what a refusal says. */
  readonly operation: string;
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array<ArrayBuffer> | undefined;
  /** The attempt's signal, made when the fetcher first reads `init.signal`. */
  readonly attempt: AttemptSignal;
  /** A credential is attached: follow redirects ourselves, same origin only. */
  readonly guardRedirects: boolean;
  /** A `mutualTLS` credential's undici dispatcher (Node). */
  readonly dispatcher?: object | undefined;
  /** Checks the headers middleware leaves (a credential header it added or changed): a refusal is thrown. */
  readonly vet?: ((headers: Readonly<Record<string, string>>) => PorticoError | undefined) | undefined;
}

/** What openapi-fetch middleware is told about the call. */
export interface MiddlewareContext {
  readonly middleware: readonly Middleware[];
  readonly schemaPath: string;
  readonly params: MiddlewareRequestParams;
  readonly baseUrl: string;
  readonly querySerializer: (query: unknown) => string;
}

/**
 * Sends one attempt: through openapi-fetch middleware when any is registered (a `Request` is
 * built only then), else straight to the fetcher.
 */
export function send(out: Outgoing, fetcher: Fetcher | undefined, mw: MiddlewareContext | undefined): Promise<Response> {
  return mw && mw.middleware.length > 0 ? sendThroughMiddleware(out, fetcher, mw) : fetchFollowingRedirects(out, fetcher);
}

/** The runtime's `fetch`, looked up at each call (a test or polyfill may replace it after the client is made). */
const globalFetch: Fetcher = (url, init) => globalThis.fetch(url, init as RequestInit);

async function fetchFollowingRedirects(out: Outgoing, fetcher: Fetcher | undefined): Promise<Response> {
  const doFetch: Fetcher = fetcher ?? globalFetch;
  const { attempt } = out;
  const init: FetcherInit & { [ABORT_SOURCE]: AttemptSignal } = {
    method: out.method,
    headers: out.headers,
    get signal() {
      return attempt.signal;
    },
    [ABORT_SOURCE]: attempt,
  };
  if (out.body !== undefined) init.body = out.body;
  if (out.dispatcher !== undefined) init.dispatcher = out.dispatcher;
  if (!out.guardRedirects) return doFetch(out.url, init);

  init.redirect = "manual";
  let url = out.url;
  for (let hop = 0; ; hop++) {
    const response = await doFetch(url, init);
    refuseFollowedRedirect(response, url);
    if (response.type === "opaqueredirect") {
      throw new PorticoError(
        "INSECURE_TRANSPORT",
        "The API answered with a redirect the browser hides from scripts; portico does not follow redirects with a credential attached. Point baseUrl at the final URL.",
        { status: 0 },
      );
    }
    const location = isRedirect(response.status) ? response.headers.get("location") : null;
    if (location === null) return response;
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return response; // unusable Location: hand the 3xx back as it is
    }
    if (next.origin !== new URL(url).origin) {
      await response.body?.cancel().catch(() => undefined);
      throw new PorticoError(
        "INSECURE_TRANSPORT",
        `${out.operation}: the API redirected (${response.status}) to another origin (${next.origin}); the credential is not sent there. Point baseUrl at the final URL.`,
        { status: response.status },
      );
    }
    if (hop >= MAX_REDIRECTS) {
      await response.body?.cancel().catch(() => undefined);
      throw new PorticoError(
        "UNEXPECTED_RESPONSE",
        `${out.operation}: the API redirected (${response.status}) more than ${MAX_REDIRECTS} times in a row, within its origin; the last redirect was not followed. Point baseUrl at the final URL, or check the server for a redirect loop.`,
        { status: response.status },
      );
    }
    await response.body?.cancel().catch(() => undefined);
    // 303, and 301/302 after a POST, turn into a GET without a body (RFC 9110 §15.4).
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && init.method === "POST")) {
      init.method = "GET";
      delete init.body;
      delete init.headers["content-type"];
      delete init.headers["content-length"];
    }
    url = next.href;
  }
}

/**
 * A fetcher that ignored `redirect: "manual"` and followed a redirect to another origin has
 * already sent the credential there: the answer is not used, and the caller is told.
 */
function refuseFollowedRedirect(response: Response, requested: string): void {
  const landed = followedToOtherOrigin(response, requested);
  if (landed === undefined) return;
  throw new PorticoError(
    "INSECURE_TRANSPORT",
    `The fetcher followed a redirect to another origin (${landed}) although the client asked for redirect: "manual"; the credential may have reached it: rotate it, and make the fetcher pass init.redirect on.`,
    { status: response.status },
  );
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

let sequence = 0;

async function sendThroughMiddleware(out: Outgoing, fetcher: Fetcher | undefined, mw: MiddlewareContext): Promise<Response> {
  const id = `${Date.now().toString(36)}${(sequence++).toString(36)}`;
  const options: MergedOptions = Object.freeze({
    baseUrl: mw.baseUrl,
    parseAs: "json",
    querySerializer: mw.querySerializer,
    bodySerializer: defaultBodySerializer,
    pathSerializer: defaultPathSerializer,
    fetch: globalThis.fetch,
  });
  const original = new Request(out.url, {
    method: out.method,
    headers: out.headers,
    body: out.body as BodyInit | undefined,
    signal: out.attempt.signal,
  });
  let request = original;
  const base = { schemaPath: mw.schemaPath, params: mw.params, options, id };

  for (const m of mw.middleware) {
    if (typeof m.onRequest !== "function") continue;
    const result: unknown = await m.onRequest({ ...base, request });
    if (!result) continue;
    if (result instanceof Request) request = result;
    else if (result instanceof Response) return result; // short-circuit: no fetch, no onResponse (as openapi-fetch)
    else throw new TypeError("onRequest: must return new Request() or Response() when modifying the request");
  }

  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const refusal = out.vet?.(headers);
  if (refusal !== undefined) throw refusal;
  const body = request === original ? out.body : request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  let response: Response | undefined;
  try {
    response = await fetchFollowingRedirects({ ...out, url: request.url, method: request.method, headers, body }, fetcher);
  } catch (error) {
    let failure: unknown = error;
    for (let i = mw.middleware.length - 1; i >= 0; i--) {
      const m = mw.middleware[i];
      if (typeof m?.onError !== "function") continue;
      const result: unknown = await m.onError({ ...base, request, error: failure });
      if (result instanceof Response) {
        response = result;
        break;
      }
      if (result instanceof Error) failure = result;
      else if (result) throw new TypeError("onError: must return new Response() or instance of Error");
    }
    if (!response) throw failure;
  }

  for (let i = mw.middleware.length - 1; i >= 0; i--) {
    const m = mw.middleware[i];
    if (typeof m?.onResponse !== "function") continue;
    const result: unknown = await m.onResponse({ ...base, request, response });
    if (result instanceof Response) response = result;
    else if (result) throw new TypeError("onResponse: must return new Response() when modifying the response");
  }
  return response;
}
