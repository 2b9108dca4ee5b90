/**
 * The call observer behind `openTelemetry()`: one span per logical call (kind INTERNAL), one child
 * span per attempt (kind CLIENT: the HTTP client span of the conventions, the one whose context
 * travels in `traceparent`), one span per token request under the attempt that started it,
 * linked with the attempts of other calls that waited for it.
 *
 * This module imports OpenTelemetry's types only: the API's functions come in through
 * {@link OtelBinding}, so nothing here loads `@opentelemetry/api` (only the
 * `@portico/core/opentelemetry` entry does).
 *
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-request-retries-and-redirects
 */
import type { Attributes, Context, Span, SpanKind, SpanStatusCode, Tracer } from "@opentelemetry/api";
import { httpTarget, type HttpTarget } from "./http-target.js";
import type { AttemptEnd, AttemptWatch, CallEnd, CallObserver, CallStart, CallWatch, TokenRequestWatch } from "./observer.js";
import { OtelAttribute as A, PACED_EVENT, TOKEN_SPAN_NAME } from "./otel-attributes.js";

/** What the observer needs of the OpenTelemetry API, given by the entry that imports it. */
export interface OtelBinding {
  readonly tracer: Tracer;
  /** The caller's context as a call starts: the parent of the call's span. */
  readonly active: () => Context;
  /** `trace.setSpan`. */
  readonly setSpan: (context: Context, span: Span) => Context;
  /** Writes the propagation headers of `context` (`traceparent`, `tracestate`) into `headers`; undefined when propagation is off. */
  readonly inject: ((context: Context, headers: Record<string, string>) => void) | undefined;
}

// The API's enum values (stable: they are OTLP's), so this module needs no runtime import.
const INTERNAL = 0 as SpanKind.INTERNAL;
const CLIENT = 2 as SpanKind.CLIENT;
const ERROR = 2 as SpanStatusCode.ERROR;

/** A token request's span, and whether it has ended (links are added to open spans only). */
interface TokenSpan {
  readonly span: Span;
  ended: boolean;
}

/**
 * The token request watches this module made, whichever `openTelemetry()` observer made them:
 * another observer's watch (a logger's) is not in it, and is ignored.
 */
const tokenSpans = new WeakMap<TokenRequestWatch, TokenSpan>();

/** Creates the observer that turns calls, attempts and token requests into spans. */
export function createOtelObserver(binding: OtelBinding): CallObserver {
  return { startCall: (call) => startCall(binding, call) };
}

/** Error messages are the client's, already redacted; `redact` masks again what its credentials hold now. */
type Redact = (text: string) => string;

function startCall(binding: OtelBinding, { api, operation, method, url, idempotencyKey, redact }: CallStart): CallWatch {
  const { tracer, setSpan } = binding;
  const parent = binding.active();
  const target = httpTarget(method, url, operation);
  // The call's and every attempt's: the idempotency key is sent with each attempt.
  const shared = targetAttributes(target, api, operation);
  if (idempotencyKey !== undefined) shared[A.IDEMPOTENCY_KEY] = idempotencyKey;
  const span = tracer.startSpan(target.name, { kind: INTERNAL, attributes: shared }, parent);
  const callContext = setSpan(parent, span);
  let open: { end(result: AttemptEnd): void } | undefined;
  let ended = false;
  return {
    startAttempt(attempt, headers) {
      open?.end({}); // an attempt the call path never ended ends where the next begins
      const attributes = attempt > 1 ? { ...shared, [A.RESEND_COUNT]: attempt - 1 } : shared;
      const attemptSpan = tracer.startSpan(target.name, { kind: CLIENT, attributes }, callContext);
      const attemptContext = setSpan(callContext, attemptSpan);
      binding.inject?.(attemptContext, headers);
      const watch = attemptWatch(binding, attemptSpan, attemptContext, redact, () => {
        if (open === watch) open = undefined;
      });
      open = watch;
      return watch;
    },
    paced(delayMs, reason) {
      if (!ended) span.addEvent(PACED_EVENT, { [A.PACED_DELAY_MS]: delayMs, [A.PACED_REASON]: reason });
    },
    end(result) {
      if (ended) return;
      ended = true;
      open?.end({});
      if (span.isRecording()) span.setAttributes(callEndAttributes(span, result, redact));
      span.end();
    },
  };
}

/** The attributes every span of a call carries: where it goes, and which operation of which API. */
function targetAttributes(target: HttpTarget, api: string, operation: string): Attributes {
  const attributes: Attributes = { [A.METHOD]: target.method, [A.API]: api, [A.OPERATION]: operation };
  if (target.methodOriginal !== undefined) attributes[A.METHOD_ORIGINAL] = target.methodOriginal;
  if (target.url !== undefined) attributes[A.URL_FULL] = target.url;
  if (target.address !== undefined) attributes[A.SERVER_ADDRESS] = target.address;
  if (target.port !== undefined) attributes[A.SERVER_PORT] = target.port;
  if (target.template !== undefined) attributes[A.URL_TEMPLATE] = target.template;
  return attributes;
}

/** The call's outcome: final status, attempts, budgets, and on error its code and ERROR status. */
function callEndAttributes(span: Span, { error, meta }: CallEnd, redact: Redact): Attributes {
  const attributes: Attributes = { [A.ATTEMPTS]: meta.attempts };
  if (meta.status !== undefined) attributes[A.STATUS_CODE] = meta.status;
  if (meta.requestId !== undefined) attributes[A.REQUEST_ID] = meta.requestId;
  if (meta.credits?.remaining !== undefined) attributes[A.CREDITS_REMAINING] = meta.credits.remaining;
  if (meta.rateLimit?.remaining !== undefined) attributes[A.RATE_LIMIT_REMAINING] = meta.rateLimit.remaining;
  if (error !== undefined) {
    attributes[A.ERROR_TYPE] = error.code;
    span.setStatus({ code: ERROR, message: redact(error.message) });
  }
  return attributes;
}

function attemptWatch(binding: OtelBinding, span: Span, attemptContext: Context, redact: Redact, closed: () => void): AttemptWatch {
  let ended = false;
  return {
    tokenRequest(request) {
      const tokenSpan = binding.tracer.startSpan(
        TOKEN_SPAN_NAME,
        { kind: INTERNAL, attributes: { [A.CREDENTIAL]: request.credential, [A.TOKEN_REASON]: request.reason } },
        attemptContext,
      );
      const state: TokenSpan = { span: tokenSpan, ended: false };
      const watch: TokenRequestWatch = {
        end(result) {
          if (state.ended) return;
          state.ended = true;
          if (tokenSpan.isRecording()) {
            const attributes: Attributes = {};
            if (result.fromCache !== undefined) attributes[A.TOKEN_FROM_CACHE] = result.fromCache;
            const expiresAt = isoTime(result.expiresAt);
            if (expiresAt !== undefined) attributes[A.TOKEN_EXPIRES_AT] = expiresAt;
            if (result.error !== undefined) {
              attributes[A.ERROR_TYPE] = result.error.code;
              tokenSpan.setStatus({ code: ERROR, message: redact(result.error.message) });
            }
            tokenSpan.setAttributes(attributes);
          }
          tokenSpan.end();
        },
      };
      tokenSpans.set(watch, state);
      return watch;
    },
    joinedTokenRequest(request) {
      const token = tokenSpans.get(request);
      if (token === undefined) return;
      // Both ways where the API can (`addLink` is @opentelemetry/api ≥ 1.9): the token request
      // lists the attempts that waited for it, and each waiting attempt points at the request.
      if (!token.ended && typeof token.span.addLink === "function") token.span.addLink({ context: span.spanContext() });
      if (!ended && typeof span.addLink === "function") span.addLink({ context: token.span.spanContext() });
    },
    end(result) {
      if (ended) return;
      ended = true;
      closed();
      if (span.isRecording()) span.setAttributes(attemptEndAttributes(span, result, redact));
      span.end();
    },
  };
}

/**
 * An attempt's outcome. Per the conventions, a response of 400 or more, or no response, makes the
 * client span an error; `error.type` is the SDK code when no response came, else the status.
 */
function attemptEndAttributes(span: Span, result: AttemptEnd, redact: Redact): Attributes {
  const attributes: Attributes = {};
  const { status, error, retry } = result;
  if (status !== undefined) attributes[A.STATUS_CODE] = status;
  if (result.requestId !== undefined) attributes[A.REQUEST_ID] = result.requestId;
  if (result.credits?.cost !== undefined) attributes[A.CREDITS_COST] = result.credits.cost;
  if (result.credits?.remaining !== undefined) attributes[A.CREDITS_REMAINING] = result.credits.remaining;
  if (result.rateLimit?.remaining !== undefined) attributes[A.RATE_LIMIT_REMAINING] = result.rateLimit.remaining;
  if (retry !== undefined) {
    attributes[A.RETRY_DELAY_MS] = retry.delayMs;
    attributes[A.RETRY_SOURCE] = retry.source;
  }
  if (result.replay === true) attributes[A.REPLAY] = true;
  if (error !== undefined) {
    attributes[A.ERROR_TYPE] = error.code;
    span.setStatus({ code: ERROR, message: redact(error.message) });
  } else if (status !== undefined && status >= 400) {
    // The status says why: no description (the conventions ask for none when the status tells it).
    attributes[A.ERROR_TYPE] = String(status);
    span.setStatus({ code: ERROR });
  }
  return attributes;
}

/** Epoch milliseconds as an ISO 8601 string, or undefined for a time no `Date` holds. */
function isoTime(ms: number | undefined): string | undefined {
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  return new Date(ms).toISOString();
}
