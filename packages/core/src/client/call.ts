/**
 * One logical call, start to end: plan the request once, choose the security requirement, let
 * the stages admit the call, then a short loop of attempts. Each attempt authorizes, sends,
 * observes the headers, and asks `decide` whether to finish, read the body, replay after a
 * credential refresh, or retry after a delay (waited on the client's clock).
 */
import type { Middleware } from "openapi-fetch";
import { selectSchemes, type SelectedScheme } from "../auth/bind-credentials.js";
import type { Credential } from "../auth/credential.js";
import { secretsOf } from "../auth/secret-access.js";
import { PorticoError } from "../errors/portico-error.js";
import { viewResponseHeaders, type HeaderView } from "../internal/header-view.js";
import { redactorFor, type Redactor } from "../internal/redact.js";
import { loggingObserver } from "../observe/load-logging.js";
import type { AttemptEnd, AttemptWatch, CallWatch } from "../observe/observer.js";
import { attemptSignal, type AttemptSignal } from "../resilience/attempt-signal.js";
import { queueOf } from "../resilience/concurrency-gate.js";
import { admitAttempt, healthOfBase, recordAttempt, releaseProbe, retryAllowed, type AttemptHealth, type OriginHealth } from "../resilience/origin-health.js";
import { parseRetryAfter } from "../resilience/retry-policy.js";
import type { ApiPlan, OperationPlan } from "./api-plan.js";
import { authorizeAttempt, conflictAfterMiddleware, explainRefusal, reportAnswered } from "./authorize.js";
import { appendQuery, lowerCaseKeys } from "./build-request.js";
import { aborted, authFailure, bodyFailure, classifyThrown, unreadable } from "./call-errors.js";
import { checkHeaders } from "./call-options.js";
import { decide, type AttemptOutcome, type CallPolicy, type Decision } from "./decide.js";
import type { ClientConfig } from "./options.js";
import { planRequest, type PlannedRequest, type RawInit } from "./plan-request.js";
import { discard, readError, readSuccess, requestIdOf, type ReadOutcome } from "./read-response.js";
import { send, type MiddlewareContext } from "./send.js";
import type { CallProgress, CallScope, ClientMemory, Stages } from "./stage.js";
import type { CallInfo, ResponseMeta } from "./types.js";

/** Per-client state the call path reads and updates; `credits` and `rateLimit` are the stages'. */
export interface ClientState extends ClientMemory {
  readonly config: ClientConfig;
  readonly plan: ApiPlan;
  readonly stages: Stages;
  middleware: Middleware[] | undefined;
}

/** The untyped result every method returns. */
export type RawResult =
  | { data: unknown; error?: undefined; meta: ResponseMeta; response: Response }
  | { data?: undefined; error: PorticoError<string>; meta: ResponseMeta; response?: Response };

/** One call in progress: what every attempt reads. */
interface Call extends CallScope {
  readonly state: ClientState;
  readonly method: string;
  readonly opts: RawInit;
  readonly planned: PlannedRequest;
  readonly policy: CallPolicy;
  readonly middleware: MiddlewareContext | undefined;
  /** The observers' watch of this call, when the client has observers. */
  readonly watch: CallWatch | undefined;
  /** The origin's health, when the budget or the breaker is on. */
  readonly health: OriginHealth | undefined;
  info: CallInfo;
  /** The current attempt is the circuit's half-open probe. */
  probe: boolean;
  /** The current attempt's outcome was counted in the origin's health. */
  counted: boolean;
  /** The current attempt got a response. */
  answered: boolean;
}

/** How an attempt ended: the call's outcome, a replay after a refresh, or a retry after a delay. */
type Step =
  | { readonly then: "finish"; readonly outcome: ReadOutcome }
  | { readonly then: "replay" }
  | {
      readonly then: "retry";
      readonly delayMs: number;
      readonly source: "retry-after" | "backoff";
      readonly cause: { status?: number; error?: PorticoError<string> };
    };

const REPLAY: Step = { then: "replay" };

export async function runCall(state: ClientState, method: string, path: string, init: RawInit | undefined): Promise<RawResult> {
  const { config, stages } = state;
  const started = config.clock.now();
  const op = state.plan.operation(method, path);
  const opts = init ?? {};
  const progress: CallProgress = { attempts: 0, retries: 0, replayed: false };
  // Made when first needed and kept for this call only: the client keeps just the secrets' forms.
  let redactor: Redactor | undefined;
  const redact = (): Redactor => (redactor ??= redactorOf(state));
  let idempotencyKey: string | undefined;
  let watch: CallWatch | undefined;
  const finish = (outcome: ReadOutcome): Promise<RawResult> => settle(state, op, outcome, progress, idempotencyKey, started, watch);

  const planned = await planRequest(config, stages, op, path, opts, redact);
  if (planned instanceof PorticoError) return finish({ error: planned });
  idempotencyKey = planned.idempotencyKey;
  const { controls } = config;
  const observer = controls.logging === undefined ? controls.observer : await loggingObserver(controls.logging);
  if (observer !== undefined) {
    const start = { api: state.plan.descriptor.name, operation: op.key, method, url: planned.url, redact: (text: string) => redact()(text) };
    watch = observer.startCall({ ...start, ...(idempotencyKey !== undefined ? { idempotencyKey } : {}), ...(planned.body !== undefined ? { body: planned.body } : {}) });
  }

  let parts: readonly SelectedScheme[] = [];
  if (config.auth !== undefined) {
    const selected = selectSchemes(state.plan, config.auth, op.key, op.security);
    if (selected instanceof PorticoError) return finish({ error: selected });
    parts = selected;
  }
  const call: Call = {
    state,
    op,
    config,
    memory: state,
    progress,
    parts,
    redact,
    method,
    opts,
    planned,
    info: { operation: op.key, method, url: planned.url, attempt: 0, idempotencyKey },
    policy: {
      baseDelayMs: config.retry.baseDelayMs,
      maxDelayMs: config.retry.maxDelayMs,
      maxRetryAfterMs: config.retry.maxRetryAfterMs,
      maxRetries: opts.maxRetries ?? config.retry.maxRetries,
      canRetry: op.idempotentMethod || idempotencyKey !== undefined,
      hasIdempotencyKey: idempotencyKey !== undefined,
      authorized: parts.length > 0,
      retryableCodes: op.retryableCodes,
    },
    middleware:
      state.middleware && state.middleware.length > 0
        ? { middleware: state.middleware, schemaPath: path, params: opts.params ?? {}, baseUrl: config.baseUrl, querySerializer: config.querySerializer }
        : undefined,
    watch,
    health: controls.health.budget !== undefined || controls.health.breaker !== undefined ? healthOfBase(config.baseUrl) : undefined,
    probe: false,
    counted: false,
    answered: false,
  };
  for (const admit of stages.admit) {
    const refusal = admit(call);
    if (refusal !== undefined) return finish({ error: refusal });
  }

  const signal = opts.signal;
  const timeout = opts.timeout ?? config.timeout;
  const pacing = controls.pacing;
  const gate = controls.concurrency === undefined ? undefined : await queueOf(controls.concurrency);
  if (gate instanceof PorticoError) return finish({ error: gate }); // its module could not be loaded
  for (;;) {
    if (signal?.aborted) return finish({ error: aborted(op, signal) });
    if (stages.pace !== undefined && pacing !== undefined) {
      // Most attempts are let through at once (undefined): only a wait or a refusal is awaited.
      let paced = stages.pace(call, stages.pacers, pacing, opts.maxWaitMs, signal);
      if (paced !== undefined) paced = await paced;
      if (paced !== undefined) return finish({ error: paced === "aborted" ? aborted(op, signal) : paced });
    }
    if (call.health !== undefined) {
      const admission = admitAttempt(call.health, controls.health, config.clock.now());
      if (admission instanceof PorticoError) return finish({ error: admission });
      call.probe = admission === "probe";
    }
    // A slot before the credential: a token's life is not spent waiting for one.
    if (gate !== undefined && !(await gate.enter(signal))) {
      if (call.probe && call.health !== undefined) releaseProbe(call.health);
      return finish({ error: aborted(op, signal) });
    }
    progress.attempts++;
    call.info = { operation: op.key, method, url: planned.url, attempt: progress.attempts, idempotencyKey };
    call.counted = false;
    call.answered = false;
    let attempt: AttemptSignal | undefined;
    let step: Step;
    try {
      const headers = await attemptHeaders(call);
      if (headers instanceof PorticoError) {
        progress.attempts--;
        step = finished(headers);
      } else {
        const attemptWatch = watch?.startAttempt(progress.attempts, headers);
        attempt = attemptSignal(signal, timeout);
        step = await attemptOnce(call, attempt, headers, attemptWatch);
        attemptWatch?.end(attemptEnd(call, step));
      }
    } finally {
      attempt?.dispose();
      // An attempt that ended before any outcome (a credential failed, the caller aborted) leaves the probe to the next one.
      if (call.probe && !call.counted && call.health !== undefined) releaseProbe(call.health);
      gate?.leave();
    }
    if (step.then === "finish") return finish(step.outcome);
    if (step.then === "replay") continue; // once, with a fresh credential; not counted as a retry
    progress.retries++;
    if (config.hooks?.onRetry) await config.hooks.onRetry({ ...call.info, delayMs: step.delayMs, ...step.cause });
    if (!(await config.clock.sleep(step.delayMs, signal))) return finish({ error: aborted(op, signal) });
  }
}

/** The attempt's headers: the planned ones, through the `onRequest` hook (a copy when someone may add to them). */
async function attemptHeaders(call: Call): Promise<Record<string, string> | PorticoError> {
  const { op, planned, config } = call;
  let headers = planned.headers;
  if (config.hooks?.onRequest) {
    const event = { ...call.info, headers: { ...headers } };
    await config.hooks.onRequest(event);
    headers = lowerCaseKeys(event.headers);
    // What the hook set is the caller's too: a header HTTP cannot carry is refused, not sent.
    const badHeader = checkHeaders(op.key, headers, "the onRequest hook's");
    if (badHeader !== undefined) return badHeader;
  } else if (call.watch !== undefined) headers = { ...headers }; // an observer may add trace headers
  return headers;
}

/** What the observers learn of an attempt that ended in `step`. */
function attemptEnd(call: Call, step: Step): AttemptEnd {
  const { progress } = call;
  const answer = call.answered ? { status: progress.status, headers: progress.headers, requestId: progress.requestId, credits: progress.credits, rateLimit: progress.rateLimit } : {};
  switch (step.then) {
    case "finish":
      return "error" in step.outcome ? { ...answer, error: step.outcome.error } : answer;
    case "replay":
      return { ...answer, replay: true };
    case "retry":
      return { ...answer, ...(step.cause.error !== undefined ? { error: step.cause.error } : {}), retry: { delayMs: step.delayMs, source: step.source } };
  }
}

/** Counts the attempt in its origin's health: a failure, a throttled answer (429, 408, 425) or a success. */
function countAttempt(call: Call, outcome: AttemptOutcome): void {
  const health = call.health;
  if (health === undefined) return;
  let verdict: AttemptHealth | undefined;
  if (outcome.stage === "failed") verdict = outcome.error.code === "NETWORK_ERROR" || outcome.error.code === "TIMEOUT" ? "failure" : undefined;
  else if (outcome.status === 500 || outcome.status === 502 || outcome.status === 503 || outcome.status === 504) verdict = "failure";
  else verdict = outcome.status === 429 || outcome.status === 408 || outcome.status === 425 ? "throttled" : "success";
  if (verdict === undefined) return;
  const settings = call.config.controls.health;
  recordAttempt(health, settings, verdict, call.probe, call.config.clock.now());
  call.counted = true;
  call.progress.budgetExhausted = !retryAllowed(health, settings);
}

/** One attempt: authorize, send, observe, then act on `decide`. */
async function attemptOnce(call: Call, attempt: AttemptSignal, attemptHeaders: Record<string, string>, watch: AttemptWatch | undefined): Promise<Step> {
  const { op, parts, planned, config, progress } = call;
  let headers = attemptHeaders;

  let url = planned.url;
  let handles: readonly unknown[] = [];
  let dispatcher: object | undefined;
  let vet: ((final: Readonly<Record<string, string>>) => PorticoError | undefined) | undefined;
  if (parts.length > 0) {
    // Credentials are written into a copy the hook never sees, so a logger holding the event cannot print them.
    headers = { ...headers };
    let authorized;
    try {
      authorized = await authorizeAttempt({
        op,
        url,
        parts,
        headers,
        environment: config.environment,
        baseUrl: config.baseUrl,
        claims: config.claims,
        attempt,
        schemes: call.state.plan.schemes,
        watch,
      });
    } catch (thrown) {
      return finished(authFailure(op, thrown, attempt.timedOut, call.opts.signal, parts, call.redact()));
    }
    if (authorized instanceof PorticoError) return finished(authorized);
    handles = authorized.handles;
    dispatcher = authorized.target.dispatcher;
    if (call.middleware !== undefined) vet = (final) => conflictAfterMiddleware(op, parts, authorized, call.state.plan.schemes, final);
    if (authorized.target.query.length > 0) url = appendQuery(url, authorized.target.query);
  }

  let response: Response | undefined;
  let outcome: AttemptOutcome;
  /** What the credentials said of a 401 (their token expired on the way). */
  let note: string | undefined;
  const sentAt = config.clock.now();
  try {
    response = await send(
      { operation: op.key, url, method: call.method, headers, body: planned.body, attempt, guardRedirects: parts.length > 0, dispatcher, vet },
      config.fetcher,
      call.middleware,
    );
    // How long the credentials' secrets took to reach the API and be answered: token credentials learn from it.
    if (parts.length > 0) note = reportAnswered(parts, handles, config.clock.now() - sentAt, response.status);
    observe(call, response);
    if (config.hooks?.onResponse) await config.hooks.onResponse({ ...call.info, response, durationMs: config.clock.now() - sentAt });
    outcome = { stage: "responded", status: response.status, retryAfterMs: retryAfterOf(progress.headers, config) };
  } catch (thrown) {
    outcome = { stage: "failed", error: classifyThrown(op, thrown, attempt.timedOut, call.opts.signal, call.redact()) };
  }
  countAttempt(call, outcome);

  let decision = decide(outcome, call.policy, progress);
  if (decision.then === "replay" && response !== undefined) {
    progress.replayed = true;
    if (await invalidateAll(parts, handles)) {
      await discard(response);
      return REPLAY;
    }
    decision = decide(outcome, call.policy, progress);
  }
  if (decision.then === "read" && response !== undefined) {
    const read = await readBody(call, response, attempt, outcome.stage === "responded" ? outcome.retryAfterMs : undefined);
    if ("data" in read) return { then: "finish", outcome: read };
    outcome = read.transient ? { stage: "failed", error: read.error } : { ...(outcome as Extract<AttemptOutcome, { stage: "responded" }>), stage: "rejected", error: read.error };
    decision = decide(outcome, call.policy, progress);
    if (decision.then !== "retry") return finished(explainRefusal(read.error, note));
  }
  return afterDecision(decision, outcome, response, op);
}

/** Finish or retry, releasing an unread body first. */
async function afterDecision(decision: Decision, outcome: AttemptOutcome, response: Response | undefined, op: OperationPlan): Promise<Step> {
  if (response !== undefined && !response.bodyUsed) await discard(response);
  if (decision.then === "retry") {
    const cause = outcome.stage === "failed" ? { error: outcome.error } : outcome.stage === "rejected" ? { status: outcome.status, error: outcome.error } : { status: outcome.status };
    const source = outcome.stage !== "failed" && outcome.retryAfterMs !== undefined ? "retry-after" : "backoff";
    return { then: "retry", delayMs: decision.delayMs, source, cause };
  }
  return finished(outcome.stage === "responded" ? unreadable(op, outcome.status) : outcome.error);
}

function finished(error: PorticoError<string>): Step {
  return { then: "finish", outcome: { error } };
}

/** Reads the body of a response `decide` chose to read; a body that broke off is transient like a failed send. */
async function readBody(call: Call, response: Response, attempt: AttemptSignal, retryAfterMs: number | undefined): Promise<{ data: unknown } | { error: PorticoError<string>; transient?: true }> {
  const { op, opts, config, progress, state } = call;
  try {
    if (response.ok) {
      return await readSuccess(response, progress.headers ?? viewResponseHeaders(response), op, {
        parseAs: opts.parseAs,
        requestId: progress.requestId,
        maxBytes: opts.maxResponseBytes ?? config.maxResponseBytes,
        redact: call.redact(),
        signal: opts.signal,
        aborted: () => aborted(op, opts.signal),
      });
    }
    const error = await readError(response, {
      op,
      idempotencyKey: call.planned.idempotencyKey,
      requestId: progress.requestId,
      balance: state.credits,
      credits: progress.credits,
      rateLimit: progress.rateLimit,
      retryAfterMs,
      attempts: progress.attempts,
      redact: call.redact(),
    });
    return { error };
  } catch (thrown) {
    return { error: bodyFailure(op, thrown, attempt.timedOut, opts.signal, call.redact(), { status: response.status, requestId: progress.requestId }), transient: true };
  }
}

/** What every response tells the call (status, request id) and, through the stages, the client. */
function observe(call: Call, response: Response): void {
  const { progress } = call;
  const headers = viewResponseHeaders(response);
  progress.status = response.status;
  call.answered = true;
  progress.response = response;
  progress.headers = headers;
  progress.requestId = requestIdOf(headers, call.redact());
  for (const stage of call.state.stages.observe) stage(headers, call);
}

function retryAfterOf(headers: HeaderView | undefined, config: ClientConfig): number | undefined {
  const value = headers?.get("retry-after") ?? null;
  return value === null ? undefined : parseRetryAfter(value, config.clock.now());
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
  progress: CallProgress,
  idempotencyKey: string | undefined,
  started: number,
  watch: CallWatch | undefined,
): Promise<RawResult> {
  const meta: { -readonly [K in keyof ResponseMeta]: ResponseMeta[K] } = { attempts: progress.attempts, durationMs: Math.round(state.config.clock.now() - started) };
  if (progress.status !== undefined) meta.status = progress.status;
  if (progress.requestId !== undefined) meta.requestId = progress.requestId;
  if (idempotencyKey !== undefined) meta.idempotencyKey = idempotencyKey;
  if (progress.credits !== undefined) meta.credits = progress.credits;
  if (progress.rateLimit !== undefined) meta.rateLimit = progress.rateLimit;
  if ("data" in outcome) {
    watch?.end({ data: outcome.data, meta });
    return { data: outcome.data, meta, response: progress.response as Response };
  }
  const { error } = outcome;
  watch?.end({ error, meta });
  const hooks = state.config.hooks;
  if (hooks?.onError) await hooks.onError({ operation: op.key, error, meta });
  if (state.config.throwOnError) throw error;
  return progress.response ? { error, meta, response: progress.response } : { error, meta };
}

/**
 * What a client's errors must not print: the secrets its credentials hold now (keys, client
 * secrets, current tokens) and the secret shapes its spec declares. A new redactor on each use
 * (a call makes one); the secrets' encoded forms it works out are kept for the client's state.
 */
export function redactorOf(state: ClientState): Redactor {
  const credentials = state.config.credentials;
  return redactorFor(() => heldSecrets(credentials), state.plan.shapes, state);
}

function heldSecrets(credentials: readonly Credential[]): string[] {
  const all: string[] = [];
  for (const credential of credentials) {
    const held = secretsOf(credential);
    if (held !== undefined) for (const secret of held.all) all.push(secret);
  }
  return all;
}
