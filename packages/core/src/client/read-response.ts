/**
 * Reading the final response of a call: a 2xx body the way the caller asked, and a non-2xx one
 * into a typed error through the error reader (`read-error.ts`), loaded with the first error
 * response.
 */
import { PorticoError } from "../errors/portico-error.js";
import type { HeaderView } from "../internal/header-view.js";
import { MISSING_CHUNK_FIX } from "../internal/missing-chunk.js";
import { excerpt, safeCause, type Redactor } from "../internal/redact.js";
import { readLimited, utf8 } from "../internal/read-limited.js";
import type { OperationPlan } from "./api-plan.js";
import { describe } from "./call-errors.js";
import type { CallOptions, CreditsInfo, RateLimitInfo } from "./types.js";

/** Headers that carry a request id, most specific first. */
const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid", "cf-ray"] as const;

/** Request id of a response, if any (bounded, redacted: servers echo credentials in headers too). */
export function requestIdOf(headers: HeaderView, redact: Redactor): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return excerpt(value, 128, redact);
  }
  return undefined;
}

/** Outcome of reading the final response of a call. */
export type ReadOutcome = { readonly data: unknown } | { readonly error: PorticoError<string> };

/** What `readError` needs besides the response. */
export interface ErrorContext {
  readonly op: OperationPlan;
  readonly idempotencyKey: string | undefined;
  readonly requestId: string | undefined;
  /** Balance known after this response (for `INSUFFICIENT_CREDITS`). */
  readonly balance: number | undefined;
  readonly credits: CreditsInfo | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
  /** Retry-After of this response, in ms. */
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;
  /** Removes the client's secrets and its spec's secret shapes from what the error keeps. */
  readonly redact: Redactor;
}

/** How a 2xx body is read: bounded, and redacted where it reaches a message. */
export interface SuccessContext {
  readonly parseAs: CallOptions["parseAs"];
  readonly requestId: string | undefined;
  /** Largest body read for `json`/`text`/`blob`/`arrayBuffer`, decompressed; `stream` is not bounded. */
  readonly maxBytes: number;
  readonly redact: Redactor;
  /** The call's signal, which still cancels a `stream` body while the caller reads it; and the error it then fails with. */
  readonly signal: AbortSignal | undefined;
  readonly aborted: () => PorticoError;
}

function isJsonType(contentType: string): boolean {
  if (contentType === lastJsonType) return true;
  const type = contentType.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  const json = type === "application/json" || type.endsWith("+json");
  if (json) lastJsonType = contentType;
  return json;
}

/** The last content type found to be JSON: an API answers with one, so most checks are one comparison. */
let lastJsonType = "application/json";

/**
 * Reads a 2xx body the way the caller asked (`parseAs`, JSON by default). A body that is not
 * JSON where JSON was expected becomes `UNEXPECTED_RESPONSE`, never an exception.
 */
export async function readSuccess(response: Response, headers: HeaderView, op: OperationPlan, ctx: SuccessContext): Promise<ReadOutcome> {
  const { parseAs, requestId, redact } = ctx;
  const length = headers.get("content-length");
  if (response.status === 204 || response.status === 205 || op.method === "HEAD") {
    await discard(response);
    return { data: undefined };
  }
  if (length === "0") {
    await discard(response);
    return emptyBody(op, response.status, ctx);
  }
  if (parseAs === "stream") return handOver(response, op, ctx);
  const read = await readLimited(response, ctx.maxBytes, headers);
  if (read.overLimit) {
    return {
      error: new PorticoError(
        "RESPONSE_TOO_LARGE",
        `${op.key} answered ${response.status} with a body larger than ${ctx.maxBytes} bytes (counted after decompression); it was not read. Raise maxResponseBytes if such bodies are expected, or read it as a stream (parseAs: "stream").`,
        { status: response.status, requestId, limit: ctx.maxBytes },
      ),
    };
  }
  const contentType = headers.get("content-type");
  if (parseAs === "arrayBuffer") return { data: read.bytes.buffer.slice(read.bytes.byteOffset, read.bytes.byteOffset + read.bytes.byteLength) };
  if (parseAs === "blob") return { data: new Blob([read.bytes as Uint8Array<ArrayBuffer>], contentType !== null ? { type: contentType } : {}) };
  const text = utf8(read.bytes);
  if (parseAs === "text") return { data: text };
  if (text.length === 0) return emptyBody(op, response.status, ctx);
  if (contentType !== null && !isJsonType(contentType)) {
    return { error: unexpected(op, response.status, requestId, `expected a JSON body but got ${excerpt(contentType, 80, redact)}`, text, redact) };
  }
  try {
    return { data: JSON.parse(text) as unknown };
  } catch {
    return { error: unexpected(op, response.status, requestId, "the body is not valid JSON", text, redact) };
  }
}

/**
 * A `stream` body handed over unread; under the call's signal when it has one (`caller-stream.ts`,
 * loaded with the first such call: if it cannot be, the call ends typed, the body dropped).
 */
async function handOver(response: Response, op: OperationPlan, ctx: SuccessContext): Promise<ReadOutcome> {
  if (response.body === null || ctx.signal === undefined) return { data: response.body };
  let follow: typeof import("./caller-stream.js");
  try {
    follow = await import("./caller-stream.js");
  } catch (thrown) {
    await discard(response);
    return {
      error: new PorticoError(
        "UNEXPECTED_RESPONSE",
        `${op.key} answered ${response.status}, but portico's stream body, a module loaded with the first call that reads a body as a stream under a signal, could not be loaded to hand it over (${describe(thrown, ctx.redact)}). ${MISSING_CHUNK_FIX}`,
        { status: response.status, requestId: ctx.requestId, cause: safeCause(thrown, ctx.redact) },
      ),
    };
  }
  return { data: follow.followCallerSignal(response.body, ctx.signal, ctx.aborted) };
}

/**
 * An empty 2xx body: `undefined` data, unless the spec declares a JSON body for every success of
 * the operation and the caller reads JSON; then the server owed one, and it is `UNEXPECTED_RESPONSE`.
 */
function emptyBody(op: OperationPlan, status: number, ctx: SuccessContext): ReadOutcome {
  if (!op.successJson || (ctx.parseAs !== undefined && ctx.parseAs !== "json")) return { data: undefined };
  return { error: unexpected(op, status, ctx.requestId, "the body is empty, but the spec declares a JSON body for it", "", ctx.redact) };
}

/**
 * Turns a non-2xx response into a typed error (see `errorFromResponse` in `read-error.ts`, loaded
 * here with the first error response). If that module cannot be loaded (a chunk the app no longer
 * serves after a deployment, or a page gone offline), the call still ends with a typed error:
 * `UNEXPECTED_RESPONSE` with the status, whose message says so and how to fix it.
 */
export async function readError(response: Response, ctx: ErrorContext): Promise<PorticoError<string>> {
  let reader: typeof import("./read-error.js");
  try {
    reader = await import("./read-error.js");
  } catch (thrown) {
    await discard(response);
    return readerMissing(response.status, ctx, thrown);
  }
  return reader.errorFromResponse(response, ctx);
}

/** The error of a response whose error reader could not be loaded. */
function readerMissing(status: number, ctx: ErrorContext, thrown: unknown): PorticoError {
  const { op, redact } = ctx;
  return new PorticoError(
    "UNEXPECTED_RESPONSE",
    `${op.key} answered ${status}, but portico's error reader, a module loaded with the first error response, could not be loaded to read it (${describe(thrown, redact)}). ${MISSING_CHUNK_FIX}`,
    { status, requestId: ctx.requestId, cause: safeCause(thrown, redact) },
  );
}

/** `UNEXPECTED_RESPONSE` for a response whose body is not what the spec says; `why` says how. */
export function unexpected(
  op: OperationPlan,
  status: number,
  requestId: string | undefined,
  why: string,
  text: string,
  redact: Redactor,
  serverCode?: string,
  retryAfterMs?: number,
): PorticoError {
  return new PorticoError("UNEXPECTED_RESPONSE", `${op.key} returned an unexpected ${status} response: ${why}.`, {
    status,
    requestId,
    bodyExcerpt: excerpt(text, undefined, redact),
    ...(serverCode !== undefined ? { serverCode: excerpt(serverCode, 64, redact) } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** Drops a body we will not read, so the connection can be reused. */
export async function discard(response: Response): Promise<void> {
  if (response.body && !response.bodyUsed) await response.body.cancel().catch(() => undefined);
}
