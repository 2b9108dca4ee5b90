/**
 * Replies of a fake route turned into real `Response` objects: `{ status, body }` as JSON,
 * `{ status, text }` as text, a `Response` as it is, and `networkError()` as the rejection
 * `fetch` gives when no response arrives.
 */
import { TestingError } from "./errors.js";

const NETWORK_ERROR = Symbol.for("portico.testing.networkError");

/** A reply that makes the fetcher reject, as `fetch` does when the connection fails. Made by {@link networkError}. */
export interface NetworkErrorReply {
  readonly [NETWORK_ERROR]: true;
  readonly message: string;
  /** The `code` of the rejection's `cause`, as Node's sockets name failures. */
  readonly code: string;
}

/**
 * A reply with no response: the fetcher rejects with `TypeError("fetch failed")` (its `cause`
 * carrying `message` and `code`), which a client reads as `NETWORK_ERROR` and retries where the
 * call may be retried. Use it in a sequence to test retries: `[networkError(), { status: 200, body }]`.
 *
 * @example
 * fakeFetcher<paths>({ "GET /v1/me": [networkError("connection reset"), { status: 200, body: me }] });
 */
export function networkError(message = "connection reset by the fake fetcher", code = "ECONNRESET"): NetworkErrorReply {
  return Object.freeze({ [NETWORK_ERROR]: true as const, message, code });
}

/** Whether a route's answer is a {@link networkError} reply. */
export function isNetworkErrorReply(value: unknown): value is NetworkErrorReply {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[NETWORK_ERROR] === true;
}

/** The rejection a network error reply stands for, shaped like undici's `fetch failed`. */
export function networkFailure(reply: NetworkErrorReply): TypeError {
  const cause = Object.assign(new Error(reply.message), { code: reply.code });
  return new TypeError("fetch failed", { cause });
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/** Turns a reply object into a `Response`; anything that is not a reply is `INVALID_REPLY`, naming the route. */
export function toResponse(reply: unknown, route: string): Response {
  if (reply instanceof Response) return reply;
  if (typeof reply !== "object" || reply === null) {
    throw invalid(route, `answered ${describe(reply)}; answer { status, body? | text?, headers? }, a Response, or networkError()`);
  }
  const { status, body, text, headers } = reply as { status?: unknown; body?: unknown; text?: unknown; headers?: unknown };
  if (typeof status !== "number" || !Number.isInteger(status) || status < 200 || status > 599) {
    throw invalid(route, `answered status ${describe(status)}; a reply's status is an integer from 200 to 599 (return a Response for anything else)`);
  }
  if (body !== undefined && text !== undefined) throw invalid(route, `answered both body and text for ${status}; give one`);
  if (text !== undefined && typeof text !== "string") throw invalid(route, `answered a text that is ${describe(text)}; text is a string (use body for JSON)`);
  let responseHeaders: Headers;
  try {
    responseHeaders = new Headers((headers ?? undefined) as HeadersInit | undefined);
  } catch (error) {
    throw invalid(route, `answered headers fetch cannot send (${error instanceof Error ? error.message : String(error)})`);
  }
  const payload = body !== undefined ? serialize(body, route) : text;
  if (payload !== undefined && NULL_BODY.has(status)) throw invalid(route, `answered a body with ${status}, a status that has none`);
  if (payload !== undefined && !responseHeaders.has("content-type")) {
    responseHeaders.set("content-type", body !== undefined ? "application/json" : "text/plain;charset=utf-8");
  }
  return new Response(payload ?? null, { status, headers: responseHeaders });
}

function serialize(body: unknown, route: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch (error) {
    throw invalid(route, `answered a body JSON cannot encode (${error instanceof Error ? error.message : String(error)})`);
  }
  if (json === undefined) throw invalid(route, `answered a body JSON cannot encode (${describe(body)})`);
  return json;
}

function invalid(route: string, what: string): TestingError<"INVALID_REPLY"> {
  return new TestingError("INVALID_REPLY", `The fake route "${route}" ${what}.`, { route });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object";
  return String(value);
}
