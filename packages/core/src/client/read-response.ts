import { ApiError } from "../errors/api-error.js";
import { PorticoError } from "../errors/portico-error.js";
import { excerpt } from "../internal/redact.js";
import type { OperationInfo } from "./operation-table.js";
import type { CallOptions, CreditsInfo, RateLimitInfo } from "./types.js";

/** Error bodies larger than this are cut (and then fail to parse as JSON). */
const ERROR_BODY_LIMIT = 1 << 20;

/** Headers that carry a request id, most specific first. */
const REQUEST_ID_HEADERS = ["x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid", "cf-ray"] as const;

/** Request id of a response, if any (bounded, redacted). */
export function requestIdOf(response: Response): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = response.headers.get(name);
    if (value) return excerpt(value, 128);
  }
  return undefined;
}

/** Outcome of reading the final response of a call. */
export type ReadOutcome = { readonly data: unknown } | { readonly error: PorticoError<string> };

/** What `readError` needs besides the response. */
export interface ErrorContext {
  readonly op: OperationInfo;
  readonly idempotencyKey: string | undefined;
  readonly requestId: string | undefined;
  /** Balance known after this response (for `INSUFFICIENT_CREDITS`). */
  readonly balance: number | undefined;
  readonly credits: CreditsInfo | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
  /** Retry-After of this response, in ms. */
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;
}

function isJsonType(contentType: string): boolean {
  const type = contentType.split(";", 1)[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || type.endsWith("+json");
}

/**
 * Reads a 2xx body the way the caller asked (`parseAs`, JSON by default). A body that is not
 * JSON where JSON was expected becomes `UNEXPECTED_RESPONSE`, never an exception.
 */
export async function readSuccess(response: Response, op: OperationInfo, parseAs: CallOptions["parseAs"], requestId: string | undefined): Promise<ReadOutcome> {
  const length = response.headers.get("content-length");
  if (response.status === 204 || response.status === 205 || op.method === "HEAD" || length === "0") {
    await discard(response);
    return { data: undefined };
  }
  if (parseAs === "stream") return { data: response.body };
  if (parseAs === "text" || parseAs === "blob" || parseAs === "arrayBuffer") return { data: await response[parseAs]() };
  const contentType = response.headers.get("content-type");
  const text = await response.text();
  if (text.length === 0) return { data: undefined };
  if (contentType !== null && !isJsonType(contentType)) {
    return { error: unexpected(op, response.status, requestId, `expected a JSON body but got ${excerpt(contentType, 80)}`, text) };
  }
  try {
    return { data: JSON.parse(text) as unknown };
  } catch {
    return { error: unexpected(op, response.status, requestId, "the body is not valid JSON", text) };
  }
}

/**
 * Turns a non-2xx response into a typed error: the spec's declared error (validated with the
 * generated schema) as `ApiError`, else one of the SDK's codes.
 */
export async function readError(response: Response, ctx: ErrorContext): Promise<PorticoError<string>> {
  const { op, requestId } = ctx;
  const status = response.status;
  const text = await readBounded(response, ERROR_BODY_LIMIT);
  const body = parseJson(text);
  const serverCode = codeOf(body);
  const base = { status, requestId: requestId ?? requestIdInBody(body), ...(serverCode !== undefined ? { serverCode } : {}) };

  if (status === 402) {
    return new PorticoError(
      "INSUFFICIENT_CREDITS",
      `${op.key} was refused with 402 Payment Required: the credit balance${ctx.balance !== undefined ? ` (${ctx.balance})` : ""} does not cover this call. Top up credits, then retry.`,
      { ...base, balance: ctx.balance, ...(ctx.credits?.cost !== undefined ? { cost: ctx.credits.cost } : {}) },
    );
  }
  if (status === 429) {
    return new PorticoError(
      "RATE_LIMITED",
      `${op.key} was rate limited (429) after ${ctx.attempts} attempt(s)${ctx.retryAfterMs !== undefined ? `; the server asks to wait ${Math.ceil(ctx.retryAfterMs / 1000)} s` : ""}.`,
      { ...base, ...(ctx.retryAfterMs !== undefined ? { retryAfterMs: ctx.retryAfterMs } : {}), ...(ctx.rateLimit ? { rateLimit: ctx.rateLimit } : {}) },
    );
  }
  const schema = op.errorSchemas?.[String(status)] ?? op.errorSchemas?.[`${Math.floor(status / 100)}XX`] ?? op.errorSchemas?.default;
  if (schema && body !== undefined && serverCode !== undefined && (await validates(schema, body))) {
    const message = messageOf(body);
    return new ApiError(
      serverCode,
      `${op.key} failed with ${status} ${serverCode}${message ? `: ${excerpt(message, 200)}` : ""}`,
      status,
      body,
      base,
    );
  }
  if (status === 422 && ctx.idempotencyKey !== undefined) {
    return new PorticoError(
      "IDEMPOTENCY_KEY_REUSED",
      `${op.key} was refused with 422: the Idempotency-Key was already used with a different payload. Use a new key for a new request.`,
      { ...base, idempotencyKey: ctx.idempotencyKey },
    );
  }
  const why =
    serverCode !== undefined
      ? `the server sent code ${excerpt(serverCode, 64)}, which the spec does not declare for ${status}`
      : text.length === 0
        ? "the body is empty"
        : body === undefined
          ? "the body is not JSON"
          : "the body matches no declared error shape";
  return unexpected(op, status, base.requestId, why, text, serverCode);
}

function unexpected(op: OperationInfo, status: number, requestId: string | undefined, why: string, text: string, serverCode?: string): PorticoError {
  return new PorticoError("UNEXPECTED_RESPONSE", `${op.key} returned an unexpected ${status} response: ${why}.`, {
    status,
    requestId,
    bodyExcerpt: excerpt(text),
    ...(serverCode !== undefined ? { serverCode: excerpt(serverCode, 64) } : {}),
  });
}

async function validates(schema: { readonly "~standard": { readonly validate: (v: unknown) => unknown } }, value: unknown): Promise<boolean> {
  try {
    const result = (await schema["~standard"].validate(value)) as { issues?: unknown } | undefined;
    return result !== undefined && result !== null && result.issues === undefined;
  } catch {
    return false;
  }
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function codeOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const code = (body as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

function messageOf(body: unknown): string | undefined {
  const message = (body as { message?: unknown }).message;
  return typeof message === "string" ? message : undefined;
}

function requestIdInBody(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const id = (body as { requestId?: unknown }).requestId;
  return typeof id === "string" ? excerpt(id, 128) : undefined;
}

/** Reads at most `limit` bytes of a body as text, then releases the rest. */
export async function readBounded(response: Response, limit: number): Promise<string> {
  const stream = response.body;
  if (!stream) return "";
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
      if (read > limit) {
        text += decoder.decode(value.subarray(0, value.byteLength - (read - limit)), { stream: true });
        await reader.cancel().catch(() => undefined);
        break;
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return text + decoder.decode();
}

/** Drops a body we will not read, so the connection can be reused. */
export async function discard(response: Response): Promise<void> {
  if (response.body && !response.bodyUsed) await response.body.cancel().catch(() => undefined);
}
