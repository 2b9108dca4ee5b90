import { createFinalURL, defaultPathSerializer, type Middleware, type MiddlewareRequestParams } from "openapi-fetch";
import type { Authorization } from "../auth/credential.js";
import { ApiError } from "../errors/api-error.js";
import { PorticoError } from "../errors/portico-error.js";
import { excerpt } from "../internal/redact.js";
import { parseCredits } from "../metering/credits.js";
import { parseRateLimit } from "../metering/rate-limit.js";
import { attemptSignal } from "../resilience/attempt-signal.js";
import { newIdempotencyKey } from "../resilience/idempotency.js";
import { backoffDelay, isRetryableStatus, parseRetryAfter } from "../resilience/retry-policy.js";
import { sleep } from "../resilience/sleep.js";
import { appendQuery, mergeHeaderObjects, serializeBody } from "./build-request.js";
import type { ClientConfig } from "./options.js";
import type { OperationInfo, OperationTable } from "./operation-table.js";
import { discard, readError, readSuccess, requestIdOf, type ReadOutcome } from "./read-response.js";
import { checkRequestSafety } from "../auth/request-safety.js";
import { selectCredential, type CredentialSelection } from "../auth/select.js";
import { checkScopes } from "../tokens/scopes.js";
import { send, type MiddlewareContext } from "./send.js";
import type { CallInfo, CallOptions, CreditsInfo, RateLimitInfo, ResponseMeta, RetryEvent } from "./types.js";

/** Mutable per-client state the pipeline reads and updates. */
export interface ClientState {
  readonly config: ClientConfig;
  readonly table: OperationTable;
  credits: number | undefined;
  rateLimit: RateLimitInfo | undefined;
  middleware: Middleware[] | undefined;
}

/** The untyped `init` a method receives. */
interface RawInit extends CallOptions {
  params?: MiddlewareRequestParams;
  body?: unknown;
}

/** The untyped result every method returns. */
export type RawResult =
  | { data: unknown; error?: undefined; meta: ResponseMeta; response: Response }
  | { data?: undefined; error: PorticoError<string>; meta: ResponseMeta; response?: Response };

/** What one call has learned so far, turned into `meta` at the end. */
interface Progress {
  attempts: number;
  status?: number;
  requestId?: string;
  credits?: CreditsInfo;
  rateLimit?: RateLimitInfo;
  response?: Response;
}

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

/**
 * Runs one logical call: build the request once, then a straight attempt loop around the
 * fetcher (credential per attempt, timeout, retry with backoff, 401 → invalidate → replay once),
 * and read the final response into `{ data }` or `{ error }`.
 */
export async function runCall(state: ClientState, method: string, path: string, init: RawInit | undefined): Promise<RawResult> {
  const started = now();
  const { config } = state;
  const op = state.table.get(method, path);
  const opts: RawInit = init ?? {};
  const params = opts.params ?? {};
  const url = createFinalURL(path, {
    baseUrl: config.baseUrl,
    params,
    querySerializer: config.querySerializer,
    pathSerializer: defaultPathSerializer,
  });
  const headers = mergeHeaderObjects(config.headers, opts.headers, params.header as Record<string, string> | undefined);
  const body = await serializeBody(opts.body, headers);

  let idempotencyKey: string | undefined;
  if (!op.safe) {
    idempotencyKey = opts.idempotencyKey ?? headers[config.idempotencyHeader] ?? (op.idempotent ? newIdempotencyKey() : undefined);
    if (idempotencyKey !== undefined) headers[config.idempotencyHeader] = idempotencyKey;
  }

  const progress: Progress = { attempts: 0 };
  const finish = (outcome: ReadOutcome): Promise<RawResult> => settle(state, op, outcome, progress, idempotencyKey, started);

  if (config.creditGuard && op.credits !== undefined && state.credits !== undefined && op.credits > state.credits) {
    return finish({
      error: new PorticoError(
        "INSUFFICIENT_CREDITS",
        `${op.key} costs ${op.credits} credits but the last known balance is ${state.credits}; the call was not sent. Top up credits, or turn off creditGuard.`,
        { balance: state.credits, cost: op.credits },
      ),
    });
  }

  let selected: CredentialSelection | undefined;
  if (config.credentials.length > 0) {
    const selection = selectCredential(state.table.descriptor, op.key, config.credentials);
    if (selection instanceof PorticoError) return finish({ error: selection });
    selected = selection;
  }
  if (selected) {
    const refusal =
      checkRequestSafety(selected, url, config.environment) ??
      (config.checkScopes ? firstScopeProblem(selected) : undefined);
    if (refusal) return finish({ error: refusal });
  }

  const hooks = config.hooks;
  const retry = config.retry;
  const maxRetries = opts.maxRetries ?? retry.maxRetries;
  const canRetry = op.safe || idempotencyKey !== undefined;
  const timeout = opts.timeout ?? config.timeout;
  const signal = opts.signal;
  const mw: MiddlewareContext | undefined =
    state.middleware && state.middleware.length > 0
      ? { middleware: state.middleware, schemaPath: path, params, baseUrl: config.baseUrl, querySerializer: config.querySerializer }
      : undefined;
  let retries = 0;
  let replayed = false;
  /** Counts one retry, tells `onRetry`, and waits (`Retry-After` or backoff); false if aborted meanwhile. */
  const backOff = async (info: CallInfo, cause: Pick<RetryEvent, "status" | "error">, retryAfterMs?: number): Promise<boolean> => {
    retries++;
    const delayMs = retryAfterMs ?? backoffDelay(retries, retry);
    if (hooks?.onRetry) await hooks.onRetry({ ...info, delayMs, ...cause });
    return sleep(delayMs, signal);
  };

  for (;;) {
    if (signal?.aborted) return finish({ error: aborted(op, signal) });
    progress.attempts++;
    const info: CallInfo = { operation: op.key, method, url, attempt: progress.attempts, idempotencyKey };
    const attemptHeaders = hooks?.onRequest || selected ? { ...headers } : headers;
    if (hooks?.onRequest) await hooks.onRequest({ ...info, headers: attemptHeaders });

    const attempt = attemptSignal(signal, timeout);
    try {
      let attemptUrl = url;
      let handles: unknown[] | undefined;
      if (selected) {
        handles = [];
        // Every scheme of the selected requirement (usually one) authorizes, once per attempt.
        for (const part of selected.all) {
          let authorization: Authorization;
          try {
            authorization = await part.credential.authorize({
              url,
              method,
              operation: op.key,
              scheme: part.scheme,
              schemeDescriptor: part.schemeDescriptor,
              scopes: part.scopes,
              signal: attempt.signal,
              ...(config.claims ? { claims: config.claims } : {}),
            });
          } catch (error) {
            return finish({ error: authFailure(op, error, attempt.timedOut, signal, part.credential.fingerprint) });
          }
          if (authorization.headers) for (const [name, value] of Object.entries(authorization.headers)) attemptHeaders[name.toLowerCase()] = value;
          if (authorization.query) attemptUrl = appendQuery(attemptUrl, authorization.query);
          handles.push(authorization.handle);
        }
      }

      let response: Response;
      const sentAt = now();
      try {
        response = await send(
          { url: attemptUrl, method, headers: attemptHeaders, body, signal: attempt.signal, guardRedirects: selected !== undefined },
          config.fetcher,
          mw,
        );
      } catch (thrown) {
        const error = classifyThrown(op, thrown, attempt.timedOut, signal);
        if (isTransient(error) && canRetry && retries < maxRetries) {
          if (!(await backOff(info, { error }))) return finish({ error: aborted(op, signal) });
          continue;
        }
        return finish({ error });
      }

      observe(state, response, progress, info);
      if (hooks?.onResponse) await hooks.onResponse({ ...info, response, durationMs: now() - sentAt });
      const status = response.status;

      if (status === 401 && !replayed && selected) {
        replayed = true;
        if (await invalidateAll(selected, handles ?? [])) {
          await discard(response);
          continue; // replay once with a fresh credential; not counted as a retry
        }
      }

      const mayRetry = canRetry && retries < maxRetries;
      const retryAfter = mayRetry ? parseRetryAfter(response.headers.get("retry-after")) : undefined;
      const waitable = retryAfter === undefined || retryAfter <= retry.maxRetryAfterMs;
      // A 409 is judged by its body (below); other transient statuses are retried unread.
      if (mayRetry && waitable && status !== 409 && isRetryableStatus(status, idempotencyKey !== undefined)) {
        await discard(response);
        if (!(await backOff(info, { status }, retryAfter))) return finish({ error: aborted(op, signal) });
        continue;
      }

      let outcome: ReadOutcome;
      try {
        outcome = response.ok
          ? await readSuccess(response, op, opts.parseAs, progress.requestId)
          : {
              error: await readError(response, {
                op,
                idempotencyKey,
                requestId: progress.requestId,
                balance: state.credits,
                credits: progress.credits,
                rateLimit: progress.rateLimit,
                retryAfterMs: parseRetryAfter(response.headers.get("retry-after")),
                attempts: progress.attempts,
              }),
            };
      } catch (thrown) {
        // The body broke off (reset, timeout): transient like a failed send.
        const error = classifyThrown(op, thrown, attempt.timedOut, signal);
        if (isTransient(error) && canRetry && retries < maxRetries) {
          if (!(await backOff(info, { error }))) return finish({ error: aborted(op, signal) });
          continue;
        }
        return finish({ error });
      }
      if (mayRetry && waitable && "error" in outcome && isRetryableError(outcome.error, status, op, idempotencyKey !== undefined)) {
        if (!(await backOff(info, { status, error: outcome.error }, retryAfter))) return finish({ error: aborted(op, signal) });
        continue;
      }
      return finish(outcome);
    } finally {
      attempt.dispose();
    }
  }
}

/** Reads credits and rate-limit headers of every response into the call and the client. */
function observe(state: ClientState, response: Response, progress: Progress, info: CallInfo): void {
  const hooks = state.config.hooks;
  progress.status = response.status;
  progress.response = response;
  progress.requestId = requestIdOf(response);
  const credits = parseCredits(response.headers);
  if (credits) {
    progress.credits = credits;
    if (credits.remaining !== undefined) state.credits = credits.remaining;
    hooks?.onCredits?.(credits, info);
  }
  const rateLimit = parseRateLimit(response.headers);
  if (rateLimit) {
    progress.rateLimit = rateLimit;
    state.rateLimit = rateLimit;
    hooks?.onRateLimit?.(rateLimit, info);
  }
}

/** `INSUFFICIENT_SCOPES` when a credential's granted scopes are known and lack the operation's. */
function firstScopeProblem(selection: CredentialSelection): PorticoError | undefined {
  for (const part of selection.all) {
    const problem = checkScopes(part.scopes, part.credential.grantedScopes?.());
    if (problem) return problem;
  }
  return undefined;
}

/** Asks each credential that can (`invalidate`) for a fresh secret after a 401; true if any got one. */
async function invalidateAll(selection: CredentialSelection, handles: readonly unknown[]): Promise<boolean> {
  let refreshed = false;
  for (const [i, part] of selection.all.entries()) {
    if (part.credential.invalidate && (await part.credential.invalidate(handles[i]))) refreshed = true;
  }
  return refreshed;
}

/** Builds `meta`, fires `onError`, and throws in `throwOnError` mode. */
async function settle(
  state: ClientState,
  op: OperationInfo,
  outcome: ReadOutcome,
  progress: Progress,
  idempotencyKey: string | undefined,
  started: number,
): Promise<RawResult> {
  const meta: { -readonly [K in keyof ResponseMeta]: ResponseMeta[K] } = { attempts: progress.attempts, durationMs: Math.round(now() - started) };
  if (progress.status !== undefined) meta.status = progress.status;
  if (progress.requestId !== undefined) meta.requestId = progress.requestId;
  if (idempotencyKey !== undefined) meta.idempotencyKey = idempotencyKey;
  if (progress.credits !== undefined) meta.credits = progress.credits;
  if (progress.rateLimit !== undefined) meta.rateLimit = progress.rateLimit;
  if ("data" in outcome) return { data: outcome.data, meta, response: progress.response as Response };
  const { error } = outcome;
  const hooks = state.config.hooks;
  if (hooks?.onError) await hooks.onError({ operation: op.key, error, meta });
  if (state.config.throwOnError) throw error;
  return progress.response ? { error, meta, response: progress.response } : { error, meta };
}

/**
 * Whether an error response read in full is worth another attempt: a declared error (`ApiError`)
 * only when the spec marks its code retryable (`x-portico-retryable`); an undeclared 409 on a call
 * with an idempotency key as "the first request with this key is still in flight" (IETF
 * Idempotency-Key draft).
 */
function isRetryableError(error: PorticoError<string>, status: number, op: OperationInfo, hasIdempotencyKey: boolean): boolean {
  if (error instanceof ApiError) return op.retryableCodes.has(error.code);
  return status === 409 && hasIdempotencyKey;
}

function isTransient(error: PorticoError<string>): boolean {
  return error.code === "NETWORK_ERROR" || error.code === "TIMEOUT";
}

function aborted(op: OperationInfo, signal: AbortSignal | undefined): PorticoError {
  return new PorticoError("ABORTED", `${op.key} was aborted by the caller's signal.`, { cause: signal?.reason });
}

/** Error codes (undici's) that mean the response itself is malformed: retrying will not help. */
const MALFORMED_RESPONSE = new Set(["UND_ERR_HEADERS_OVERFLOW", "UND_ERR_RES_EXCEEDED_MAX_SIZE", "HPE_HEADER_OVERFLOW", "UND_ERR_INFO"]);

/** Maps whatever a fetcher threw to a typed error. */
function classifyThrown(op: OperationInfo, thrown: unknown, timedOut: boolean, signal: AbortSignal | undefined): PorticoError<string> {
  if (signal?.aborted) return aborted(op, signal);
  if (timedOut) return new PorticoError("TIMEOUT", `${op.key} timed out (no complete response within the per-attempt timeout).`);
  if (thrown instanceof PorticoError) return thrown as PorticoError<string>;
  const cause = (thrown as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const causeCode = typeof cause?.code === "string" ? cause.code : typeof (thrown as { code?: unknown })?.code === "string" ? String((thrown as { code: string }).code) : undefined;
  const description = describe(thrown);
  if (causeCode !== undefined && MALFORMED_RESPONSE.has(causeCode)) {
    return new PorticoError("UNEXPECTED_RESPONSE", `${op.key} got a response the HTTP client could not accept (${causeCode}): ${description}.`, {
      cause: thrown,
      causeCode,
    });
  }
  return new PorticoError("NETWORK_ERROR", `${op.key} got no HTTP response: ${description}.`, {
    cause: thrown,
    ...(causeCode !== undefined ? { causeCode } : {}),
  });
}

function describe(thrown: unknown): string {
  if (!(thrown instanceof Error)) return excerpt(String(thrown), 200);
  const cause = thrown.cause instanceof Error ? ` (${thrown.cause.message})` : "";
  return excerpt(`${thrown.message}${cause}`, 200);
}

/** A credential that could not produce an authorization: keep its typed error, else wrap it. */
function authFailure(op: OperationInfo, thrown: unknown, timedOut: boolean, signal: AbortSignal | undefined, fingerprint: string): PorticoError<string> {
  if (signal?.aborted) return aborted(op, signal);
  if (timedOut) return new PorticoError("TIMEOUT", `${op.key} timed out while the credential ${fingerprint} was being authorized.`);
  if (thrown instanceof PorticoError) return thrown as PorticoError<string>;
  return new PorticoError(
    "TOKEN_REFRESH_FAILED",
    `The credential ${fingerprint} could not authorize ${op.key}: ${describe(thrown)}.`,
    { credential: fingerprint, cause: thrown },
  );
}
