/**
 * Reads a non-2xx response into a typed error: the spec's declared error (an `ApiError` with the
 * body's declared code, or the status-derived one), `INSUFFICIENT_CREDITS`, `RATE_LIMITED`,
 * `IDEMPOTENCY_KEY_REUSED` or `UNEXPECTED_RESPONSE`. Only an API that answers with an error needs
 * it, so `readError` (`read-response.ts`) loads it with the first error response: a chunk of its
 * own in an app's bundle, which a page that only sees successes never fetches.
 */
import { ApiError } from "../errors/api-error.js";
import { PorticoError } from "../errors/portico-error.js";
import { statusErrorCode } from "../errors/status-codes.js";
import { excerpt, type Redactor } from "../internal/redact.js";
import { readBounded } from "../internal/read-limited.js";
import type { OperationPlan } from "./api-plan.js";
import { unexpected, type ErrorContext } from "./read-response.js";

/** Error bodies larger than this are cut (and then fail to parse as JSON). */
const ERROR_BODY_LIMIT = 1 << 20;

/**
 * Turns a non-2xx response into a typed error, from whatever the spec declares for the status
 * (exact, then its range `4XX`, then `default` for statuses from 400):
 * - a 402 on a credit-metered operation is `INSUFFICIENT_CREDITS`;
 * - a declared status whose body matches its declared shape is an `ApiError` carrying the body,
 *   with the body's declared code, or the status-derived code when the spec declares none;
 * - anything else is `RATE_LIMITED` (429), `IDEMPOTENCY_KEY_REUSED` (422 with a key) or
 *   `UNEXPECTED_RESPONSE`, whose message says why.
 * Bodies reach messages only through `excerpt()` (bounded, redacted).
 */
export async function errorFromResponse(response: Response, ctx: ErrorContext): Promise<PorticoError<string>> {
  const { op } = ctx;
  const status = response.status;
  const text = await readBounded(response, ERROR_BODY_LIMIT);
  const json = parseJson(text);
  const body = json?.value;
  const serverCode = firstCode(body);
  const requestId = ctx.requestId ?? requestIdInBody(body, ctx.redact);
  const redact = ctx.redact;
  const base = { status, requestId, ...(serverCode !== undefined ? { serverCode: excerpt(serverCode, 64, redact) } : {}) };

  if (status === 402 && op.metered) {
    return new PorticoError(
      "INSUFFICIENT_CREDITS",
      `${op.key} was refused with 402 Payment Required: the credit balance${ctx.balance !== undefined ? ` (${ctx.balance})` : ""} does not cover this call. Top up credits, then retry.`,
      { ...base, ...creditDetails(ctx) },
    );
  }

  const key = declaredKey(op, status);
  let why: string;
  if (key === undefined) {
    why = `the spec declares no ${status} response for it (${describeBody(text, json)})`;
  } else {
    const outcome = await declared(op, key, status, text, json, serverCode, response.headers.get("content-type"), redact);
    if (typeof outcome === "string") {
      why = outcome;
    } else {
      const message = messageOf(body);
      const extra =
        status === 429
          ? { ...(ctx.retryAfterMs !== undefined ? { retryAfterMs: ctx.retryAfterMs } : {}), ...(ctx.rateLimit ? { rateLimit: ctx.rateLimit } : {}) }
          : status === 402
            ? { ...(ctx.balance !== undefined ? { balance: ctx.balance } : {}), ...(ctx.credits?.cost !== undefined ? { cost: ctx.credits.cost } : {}) }
            : ctx.retryAfterMs !== undefined
              ? { retryAfterMs: ctx.retryAfterMs }
              : {};
      return new ApiError(
        outcome.code,
        `${op.key} failed with ${status} ${outcome.code}${message ? `: ${excerpt(message, 200, redact)}` : ""}${waitHint(ctx)}`,
        status,
        outcome.body,
        { ...base, ...extra },
      );
    }
  }

  if (status === 429) {
    return new PorticoError(
      "RATE_LIMITED",
      `${op.key} was rate limited (429) after ${ctx.attempts} attempt(s)${waitHint(ctx)}.`,
      { ...base, ...(ctx.retryAfterMs !== undefined ? { retryAfterMs: ctx.retryAfterMs } : {}), ...(ctx.rateLimit ? { rateLimit: ctx.rateLimit } : {}) },
    );
  }
  if (status === 422 && ctx.idempotencyKey !== undefined) {
    return new PorticoError(
      "IDEMPOTENCY_KEY_REUSED",
      `${op.key} was refused with 422: the Idempotency-Key was already used with a different payload. Use a new key for a new request.`,
      { ...base, idempotencyKey: ctx.idempotencyKey },
    );
  }
  return unexpected(op, status, requestId, `${why}${waitHint(ctx)}`, text, redact, serverCode, ctx.retryAfterMs);
}

/** A parsed JSON body; `undefined` when the text is empty or not JSON. */
type Parsed = { readonly value: unknown } | undefined;

/** The declared entry for a status: exact (`"404"`), then its range (`"4XX"`), then `"default"` (from 400). */
function declaredKey(op: OperationPlan, status: number): string | undefined {
  const errors = op.errors;
  const schemas = op.errorSchemas;
  if (errors === undefined && schemas === undefined) return undefined;
  const range = Math.floor(status / 100);
  const candidates = status >= 400 ? [String(status), `${range}XX`, `${range}xx`, "default"] : [String(status), `${range}XX`, `${range}xx`];
  for (const key of candidates) {
    if ((errors !== undefined && Object.hasOwn(errors, key)) || (schemas !== undefined && Object.hasOwn(schemas, key))) return key;
  }
  return undefined;
}

/**
 * Checks a response against its declared entry: the code and body of the `ApiError`, or why the
 * response does not match (for `UNEXPECTED_RESPONSE`).
 */
async function declared(
  op: OperationPlan,
  key: string,
  status: number,
  text: string,
  json: Parsed,
  serverCode: string | undefined,
  contentType: string | null,
  redact: Redactor,
): Promise<{ readonly code: string; readonly body: unknown } | string> {
  const codes = op.errors?.[key] ?? [];
  const schema = op.errorSchemas?.[key];
  const undeclaredCode = `the server sent code ${excerpt(serverCode ?? "", 64, redact)}, which the spec does not declare for ${status}`;
  let body: unknown;
  if (schema !== undefined) {
    // A declared JSON body must be there and match its schema.
    if (json === undefined) return text.length === 0 ? "the body is empty" : "the body is not JSON";
    if (!(await validates(schema, json.value))) {
      return serverCode !== undefined && codes.length > 0 && !codes.includes(serverCode) ? undeclaredCode : "the body matches no declared error shape";
    }
    body = json.value;
  } else {
    // No JSON body declared: whatever came (if anything) is kept as it is.
    body = json !== undefined ? json.value : text.length > 0 && contentType !== null && /^\s*text\//i.test(contentType) ? text : undefined;
  }
  if (codes.length === 0) return { code: statusErrorCode(status), body };
  const code = declaredCode(json?.value, codes);
  if (code !== undefined) return { code, body };
  return serverCode !== undefined ? undeclaredCode : `the body carries none of the codes the spec declares for ${status}`;
}

function describeBody(text: string, json: Parsed): string {
  return text.length === 0 ? "the body is empty" : json === undefined ? "the body is not JSON" : "a JSON body";
}

/** What `Retry-After` asked for (on a 429, a 503, any status), when the call did not wait for it. */
function waitHint(ctx: ErrorContext): string {
  return ctx.retryAfterMs !== undefined ? `; the server asks to wait ${Math.ceil(ctx.retryAfterMs / 1000)} s` : "";
}

function creditDetails(ctx: ErrorContext): Record<string, unknown> {
  return { balance: ctx.balance, ...(ctx.credits?.cost !== undefined ? { cost: ctx.credits.cost } : {}) };
}

async function validates(schema: { readonly "~standard": { readonly validate: (v: unknown) => unknown } }, value: unknown): Promise<boolean> {
  try {
    const result = (await schema["~standard"].validate(value)) as { issues?: unknown } | undefined;
    return result !== undefined && result !== null && result.issues === undefined;
  } catch {
    return false;
  }
}

function parseJson(text: string): Parsed {
  if (text.length === 0) return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** Where a body's code may be, in the order the types read it: `code`, `error_code`, `errorCode`, `error.code`. */
function codeCandidates(body: unknown): unknown[] {
  if (typeof body !== "object" || body === null) return [];
  const b = body as { code?: unknown; error_code?: unknown; errorCode?: unknown; error?: unknown };
  const nested = typeof b.error === "object" && b.error !== null ? (b.error as { code?: unknown }).code : undefined;
  return [b.code, b.error_code, b.errorCode, nested];
}

/** The first code-like string of a body, declared or not (kept as `serverCode`). */
function firstCode(body: unknown): string | undefined {
  for (const value of codeCandidates(body)) if (typeof value === "string") return value;
  return undefined;
}

/** The first code-like value of a body that the spec declares for its status. */
function declaredCode(body: unknown, codes: readonly string[]): string | undefined {
  for (const value of codeCandidates(body)) if (typeof value === "string" && codes.includes(value)) return value;
  return undefined;
}

/** A human message of an error body (`message`, `error.message`, `error`, `detail`, `title`, `error_description`). */
function messageOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return typeof body === "string" ? body : undefined;
  const b = body as { message?: unknown; error?: unknown; detail?: unknown; title?: unknown; error_description?: unknown };
  const nested = typeof b.error === "object" && b.error !== null ? (b.error as { message?: unknown }).message : b.error;
  for (const value of [b.message, nested, b.detail, b.error_description, b.title]) if (typeof value === "string" && value.length > 0) return value;
  return undefined;
}

function requestIdInBody(body: unknown, redact: Redactor): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as { requestId?: unknown; request_id?: unknown };
  const id = typeof b.requestId === "string" ? b.requestId : b.request_id;
  return typeof id === "string" ? excerpt(id, 128, redact) : undefined;
}
