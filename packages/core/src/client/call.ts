import { createFinalURL, defaultPathSerializer, type Middleware, type MiddlewareRequestParams } from "openapi-fetch";
import { selectSchemes, type SelectedScheme } from "../auth/bind-credentials.js";
import { PorticoError } from "../errors/portico-error.js";
import { secretsOf } from "../auth/secret-access.js";
import { excerpt, redactorFor, safeCause, type Redactor } from "../internal/redact.js";
import { parseCredits } from "../metering/credits.js";
import { parseRateLimit } from "../metering/rate-limit.js";
import { attemptSignal } from "../resilience/attempt-signal.js";
import { newIdempotencyKey } from "../resilience/idempotency.js";
import { parseRetryAfter } from "../resilience/retry-policy.js";
import { sleep } from "../resilience/sleep.js";
import { checkScopes } from "../tokens/scopes.js";
import { checkCallOptions, checkHeaders } from "./call-options.js";
import type { ApiPlan, OperationPlan } from "./api-plan.js";
import { authorizeAttempt, conflictAfterMiddleware } from "./authorize.js";
import { appendQuery, lowerCaseKeys, mergeHeaderObjects } from "./build-request.js";
import { decide, type AttemptOutcome, type CallPolicy } from "./decide.js";
import { encodeBody } from "./encode-body.js";
import type { ClientConfig } from "./options.js";
import { discard, readError, readSuccess, requestIdOf, type ReadOutcome } from "./read-response.js";
import { send, type MiddlewareContext } from "./send.js";
import type { CallInfo, CallOptions, CreditsInfo, RateLimitInfo, ResponseMeta } from "./types.js";

/** Mutable per-client state the pipeline reads and updates. */
export interface ClientState {
  readonly config: ClientConfig;
  readonly plan: ApiPlan;
  credits: number | undefined;
  rateLimit: RateLimitInfo | undefined;
  middleware: Middleware[] | undefined;
  /** The client's redactor, made when its first error needs it. */
  redact?: Redactor;
}

/** The untyped `init` a method receives. */
interface RawInit extends CallOptions {
  params?: MiddlewareRequestParams;
  body?: unknown;
  bodySerializer?: (body: unknown) => unknown;
}

/** The untyped result every method returns. */
export type RawResult =
  | { data: unknown; error?: undefined; meta: ResponseMeta; response: Response }
  | { data?: undefined; error: PorticoError<string>; meta: ResponseMeta; response?: Response };

/** What one call has learned so far, turned into `meta` at the end. */
interface Progress {
  attempts: number;
  retries: number;
  replayed: boolean;
  status?: number;
  requestId?: string;
  credits?: CreditsInfo;
  rateLimit?: RateLimitInfo;
  response?: Response;
}

/** The request of one logical call, built once and resent as is by every attempt. */
interface PlannedRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array<ArrayBuffer> | undefined;
  readonly idempotencyKey: string | undefined;
}

const now = (): number => (typeof performance !== "undefined" ? performance.now() : Date.now());

/**
 * Runs one logical call: plan the request once (URL, headers, body by media type, idempotency
 * key), choose the security requirement, then a short attempt loop — authorize, send, observe
 * the headers, and let `decide` say whether to finish, read, replay after a refresh, or retry.
 */
export async function runCall(state: ClientState, method: string, path: string, init: RawInit | undefined): Promise<RawResult> {
  const started = now();
  const { config } = state;
  const op = state.plan.operation(method, path);
  const opts: RawInit = init ?? {};
  const progress: Progress = { attempts: 0, retries: 0, replayed: false };
  let idempotencyKey: string | undefined;
  const finish = (outcome: ReadOutcome): Promise<RawResult> => settle(state, op, outcome, progress, idempotencyKey, started);

  const planned = await planRequest(config, op, path, opts, redactorOf(state));
  if (planned instanceof PorticoError) return finish({ error: planned });
  idempotencyKey = planned.idempotencyKey;

  if (config.creditGuard && op.credits !== undefined && state.credits !== undefined && op.credits > state.credits) {
    return finish({
      error: new PorticoError(
        "INSUFFICIENT_CREDITS",
        `${op.key} costs ${op.credits} credits but the last known balance is ${state.credits}; the call was not sent. Top up credits, or turn off creditGuard.`,
        { balance: state.credits, cost: op.credits },
      ),
    });
  }

  let parts: readonly SelectedScheme[] = [];
  if (config.auth !== undefined) {
    const selected = selectSchemes(state.plan, config.auth, op.key, op.security);
    if (selected instanceof PorticoError) return finish({ error: selected });
    parts = selected;
    if (config.checkScopes) {
      for (const part of parts) {
        const problem = checkScopes(part.scopes, part.credential.grantedScopes?.());
        if (problem) return finish({ error: problem });
      }
    }
  }

  const hooks = config.hooks;
  const signal = opts.signal;
  const timeout = opts.timeout ?? config.timeout;
  const policy: CallPolicy = {
    ...config.retry,
    maxRetries: opts.maxRetries ?? config.retry.maxRetries,
    canRetry: op.idempotentMethod || idempotencyKey !== undefined,
    hasIdempotencyKey: idempotencyKey !== undefined,
    authorized: parts.length > 0,
    retryableCodes: op.retryableCodes,
  };
  const mw: MiddlewareContext | undefined =
    state.middleware && state.middleware.length > 0
      ? { middleware: state.middleware, schemaPath: path, params: opts.params ?? {}, baseUrl: config.baseUrl, querySerializer: config.querySerializer }
      : undefined;

  for (;;) {
    if (signal?.aborted) return finish({ error: aborted(op, signal) });
    progress.attempts++;
    const info: CallInfo = { operation: op.key, method, url: planned.url, attempt: progress.attempts, idempotencyKey };
    let headers = planned.headers;
    if (hooks?.onRequest) {
      const event = { ...info, headers: { ...headers } };
      await hooks.onRequest(event);
      headers = lowerCaseKeys(event.headers);
      // What the hook set is the caller's too: a header HTTP cannot carry is refused, not sent.
      const badHeader = checkHeaders(op.key, headers, "the onRequest hook's");
      if (badHeader !== undefined) {
        progress.attempts--;
        return finish({ error: badHeader });
      }
    }
    // Credentials are written into a copy the hook never sees, so a logger holding the event cannot print them.
    if (parts.length > 0) headers = { ...headers };

    const attempt = attemptSignal(signal, timeout);
    let outcome: AttemptOutcome;
    let handles: readonly unknown[] = [];
    let response: Response | undefined;
    try {
      let url = planned.url;
      let dispatcher: object | undefined;
      let vet: ((final: Readonly<Record<string, string>>) => PorticoError | undefined) | undefined;
      if (parts.length > 0) {
        let authorized;
        try {
          authorized = await authorizeAttempt({
            op,
            url,
            parts,
            headers,
            environment: config.environment,
            claims: config.claims,
            signal: attempt.signal,
            schemes: state.plan.schemes,
          });
        } catch (thrown) {
          return finish({ error: authFailure(op, thrown, attempt.timedOut, signal, parts, redactorOf(state)) });
        }
        if (authorized instanceof PorticoError) return finish({ error: authorized });
        handles = authorized.handles;
        dispatcher = authorized.target.dispatcher;
        const sent = authorized;
        if (mw !== undefined) vet = (final) => conflictAfterMiddleware(op, parts, sent, state.plan.schemes, final);
        if (authorized.target.query.length > 0) url = appendQuery(url, authorized.target.query);
      }

      const sentAt = now();
      try {
        response = await send(
          { url, method, headers, body: planned.body, signal: attempt.signal, guardRedirects: parts.length > 0, dispatcher, vet },
          config.fetcher,
          mw,
        );
        observe(state, response, progress, info);
        if (hooks?.onResponse) await hooks.onResponse({ ...info, response, durationMs: now() - sentAt });
        outcome = { stage: "responded", status: response.status, retryAfterMs: parseRetryAfter(response.headers.get("retry-after")) };
      } catch (thrown) {
        outcome = { stage: "failed", error: classifyThrown(op, thrown, attempt.timedOut, signal, redactorOf(state)) };
      }

      let decision = decide(outcome, policy, progress);
      if (decision.then === "replay" && response !== undefined) {
        progress.replayed = true;
        if (await invalidateAll(parts, handles)) {
          await discard(response);
          continue; // replay once with a fresh credential; not counted as a retry
        }
        decision = decide(outcome, { ...policy, authorized: false }, progress);
      }
      if (decision.then === "read" && response !== undefined) {
        let read: ReadOutcome;
        try {
          read = response.ok
            ? await readSuccess(response, op, { parseAs: opts.parseAs, requestId: progress.requestId, maxBytes: opts.maxResponseBytes ?? config.maxResponseBytes, redact: redactorOf(state) })
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
                  redact: redactorOf(state),
                }),
              };
        } catch (thrown) {
          // The body broke off (reset, timeout): transient like a failed send.
          read = { error: classifyThrown(op, thrown, attempt.timedOut, signal, redactorOf(state)) };
          outcome = { stage: "failed", error: read.error };
        }
        if ("data" in read) return finish(read);
        if (outcome.stage === "responded") outcome = { ...outcome, stage: "rejected", error: read.error };
        decision = decide(outcome, policy, progress);
        if (decision.then !== "retry") return finish(read);
      }
      if (decision.then === "finish") {
        if (response !== undefined) await discard(response);
        return finish({ error: outcome.stage === "responded" ? unreadable(op, outcome.status) : outcome.error });
      }
      if (decision.then === "retry") {
        if (response !== undefined && !response.bodyUsed) await discard(response);
        progress.retries++;
        const cause = outcome.stage === "failed" ? { error: outcome.error } : outcome.stage === "rejected" ? { status: outcome.status, error: outcome.error } : { status: outcome.status };
        if (hooks?.onRetry) await hooks.onRetry({ ...info, delayMs: decision.delayMs, ...cause });
        if (!(await sleep(decision.delayMs, signal))) return finish({ error: aborted(op, signal) });
      }
    } finally {
      attempt.dispose();
    }
  }
}

/**
 * The plan stage: URL (path and query serialized), headers (client defaults, then the call's),
 * the body encoded once by the operation's media type (or the caller's `content-type`), and the
 * idempotency key of an unsafe call. A body that cannot be encoded is `INVALID_REQUEST`.
 */
async function planRequest(config: ClientConfig, op: OperationPlan, path: string, opts: RawInit, redact: Redactor): Promise<PlannedRequest | PorticoError<string>> {
  const invalid = checkCallOptions(op.key, opts);
  if (invalid !== undefined) return invalid;
  const params = opts.params ?? {};
  const url = createFinalURL(path, {
    baseUrl: config.baseUrl,
    params,
    querySerializer: config.querySerializer,
    pathSerializer: defaultPathSerializer,
  });
  const headers = mergeHeaderObjects(config.headers, opts.headers, params.header as Record<string, string> | undefined);
  const badHeader = checkHeaders(op.key, headers, "the request's");
  if (badHeader !== undefined) return badHeader;
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (opts.body !== undefined) {
    // Reading a stream body counts against the call's timeout and signal like an attempt does.
    const reading = attemptSignal(opts.signal, opts.timeout ?? config.timeout);
    try {
      const encoded = await encodeBody(opts.body, {
        mediaType: headers["content-type"] ?? op.body?.mediaType,
        ...(op.body?.encoding !== undefined && headers["content-type"] === undefined ? { encoding: op.body.encoding } : {}),
        ...(opts.bodySerializer !== undefined ? { serializer: opts.bodySerializer } : {}),
        signal: reading.signal,
      });
      body = encoded.bytes;
      if (encoded.contentType !== undefined) headers["content-type"] = encoded.contentType;
    } catch (thrown) {
      if (opts.signal?.aborted) return aborted(op, opts.signal);
      if (reading.timedOut) return new PorticoError("TIMEOUT", `${op.key} timed out while reading the request body stream; nothing was sent.`);
      if (thrown instanceof PorticoError) return thrown as PorticoError<string>;
      return new PorticoError("INVALID_REQUEST", `${op.key}: the request body could not be encoded: ${describe(thrown, redact)}.`);
    } finally {
      reading.dispose();
    }
  }
  let idempotencyKey: string | undefined;
  if (!op.safe) {
    const fromHeader = headers[config.idempotencyHeader];
    if (opts.idempotencyKey === undefined && fromHeader !== undefined && fromHeader.trim().length === 0) {
      return new PorticoError(
        "INVALID_REQUEST",
        `${op.key}: the ${config.idempotencyHeader} header is empty, and an empty key identifies nothing (retries could repeat the work). Pass a non-empty key such as a UUID, or leave the header out${op.idempotent ? " and one is generated" : ""}; nothing was sent.`,
        { header: config.idempotencyHeader },
      );
    }
    idempotencyKey = opts.idempotencyKey ?? fromHeader ?? (op.idempotent ? newIdempotencyKey() : undefined);
    if (idempotencyKey !== undefined) headers[config.idempotencyHeader] = idempotencyKey;
  }
  return { url, headers, body, idempotencyKey };
}

/** Reads credits and rate-limit headers of every response into the call and the client. */
function observe(state: ClientState, response: Response, progress: Progress, info: CallInfo): void {
  const hooks = state.config.hooks;
  progress.status = response.status;
  progress.response = response;
  progress.requestId = requestIdOf(response, redactorOf(state));
  const credits = parseCredits(response.headers);
  if (credits) {
    progress.credits = credits;
    if (credits.remaining !== undefined) state.credits = credits.remaining;
    hooks?.onCredits?.(credits, info);
  }
  const parsed = parseRateLimit(response.headers);
  // A policy name is the server's text: redacted like any other it echoes.
  const rateLimit = parsed?.policy !== undefined ? { ...parsed, policy: excerpt(parsed.policy, 128, redactorOf(state)) } : parsed;
  if (rateLimit) {
    progress.rateLimit = rateLimit;
    state.rateLimit = rateLimit;
    hooks?.onRateLimit?.(rateLimit, info);
  }
}

/** Asks each credential that can (`invalidate`) for a fresh secret after a 401; true if any got one. */
async function invalidateAll(parts: readonly SelectedScheme[], handles: readonly unknown[]): Promise<boolean> {
  let refreshed = false;
  for (const [i, part] of parts.entries()) {
    if (part.credential.invalidate && (await part.credential.invalidate(handles[i]))) refreshed = true;
  }
  return refreshed;
}

/** Builds `meta`, fires `onError`, and throws in `throwOnError` mode. */
async function settle(
  state: ClientState,
  op: OperationPlan,
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

function aborted(op: OperationPlan, signal: AbortSignal | undefined): PorticoError {
  return new PorticoError("ABORTED", `${op.key} was aborted by the caller's signal.`, { cause: signal?.reason });
}

/** A response `decide` chose not to read (cannot happen with today's rules; kept total). */
function unreadable(op: OperationPlan, status: number): PorticoError {
  return new PorticoError("UNEXPECTED_RESPONSE", `${op.key} returned ${status}.`, { status });
}

/** Error codes (undici's) that mean the response itself is malformed: retrying will not help. */
const MALFORMED_RESPONSE = new Set(["UND_ERR_HEADERS_OVERFLOW", "UND_ERR_RES_EXCEEDED_MAX_SIZE", "HPE_HEADER_OVERFLOW", "UND_ERR_INFO"]);

/** Maps whatever a fetcher threw to a typed error. */
function classifyThrown(op: OperationPlan, thrown: unknown, timedOut: boolean, signal: AbortSignal | undefined, redact: Redactor): PorticoError<string> {
  if (signal?.aborted) return aborted(op, signal);
  if (timedOut) return new PorticoError("TIMEOUT", `${op.key} timed out (no complete response within the per-attempt timeout).`);
  if (thrown instanceof PorticoError) return thrown as PorticoError<string>;
  const cause = (thrown as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const causeCode = typeof cause?.code === "string" ? cause.code : typeof (thrown as { code?: unknown })?.code === "string" ? String((thrown as { code: string }).code) : undefined;
  const description = describe(thrown, redact);
  if (causeCode !== undefined && MALFORMED_RESPONSE.has(causeCode)) {
    return new PorticoError("UNEXPECTED_RESPONSE", `${op.key} got a response the HTTP client could not accept (${causeCode}): ${description}.`, {
      cause: safeCause(thrown, redact),
      causeCode,
    });
  }
  return new PorticoError("NETWORK_ERROR", `${op.key} got no HTTP response: ${description}.`, {
    cause: safeCause(thrown, redact),
    ...(causeCode !== undefined ? { causeCode } : {}),
  });
}

function describe(thrown: unknown, redact: Redactor): string {
  if (!(thrown instanceof Error)) return excerpt(String(thrown), 200, redact);
  const cause = thrown.cause instanceof Error ? ` (${thrown.cause.message})` : "";
  return excerpt(`${thrown.message}${cause}`, 200, redact);
}

/**
 * What a client's errors must not print: the secrets its credentials hold now (keys, client
 * secrets, current tokens) and the secret shapes its spec declares. Built when an error is.
 */
function redactorOf(state: ClientState): Redactor {
  const credentials = state.config.credentials;
  return (state.redact ??= redactorFor(() => credentials.flatMap((credential) => secretsOf(credential)?.all ?? []), state.plan.shapes));
}

/** A credential that could not produce an authorization: keep its typed error, else wrap it. */
function authFailure(
  op: OperationPlan,
  thrown: unknown,
  timedOut: boolean,
  signal: AbortSignal | undefined,
  parts: readonly SelectedScheme[],
  redact: Redactor,
): PorticoError<string> {
  if (signal?.aborted) return aborted(op, signal);
  const fingerprints = parts.map((part) => part.credential.fingerprint).join(", ");
  if (timedOut) return new PorticoError("TIMEOUT", `${op.key} timed out while the credential ${fingerprints} was being authorized.`);
  if (thrown instanceof PorticoError) return thrown as PorticoError<string>;
  return new PorticoError("TOKEN_REFRESH_FAILED", `The credential ${fingerprints} could not authorize ${op.key}: ${describe(thrown, redact)}.`, {
    credential: fingerprints,
    cause: safeCause(thrown, redact),
  });
}
