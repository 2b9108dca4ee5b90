/**
 * `openTelemetry()` through its real surface, the `CallObserver` the call path drives: each test
 * plays the notifications of a call (start, attempts, token requests, end) and reads what the
 * OpenTelemetry SDK exported to memory. The client-level span tree is in
 * `opentelemetry-client.test.ts`.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Span, type TracerProvider } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { TraceState, W3CTraceContextPropagator } from "@opentelemetry/core";
import { AlwaysOffSampler, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import { PorticoError } from "../../src/index.js";
import { combineObservers, type CallObserver, type CallStart, type CallWatch } from "../../src/observe/observer.js";
import { openTelemetry, OtelAttribute as A, TOKEN_SPAN_NAME } from "../../src/opentelemetry.js";
import { childrenOf, recorder, roots, traceparentOf, tree } from "./support/otel.js";

const w3c = new W3CTraceContextPropagator();

/** What the client's redactor would mask: the secret its credential holds now. */
const redact = (text: string): string => text.replaceAll("s3cret-held-now", "[REDACTED]");

const items: CallStart = {
  redact,
  api: "ims",
  operation: "GET /v1/items/{itemId}",
  method: "GET",
  url: "https://api.atrope.dev/v1/items/i1?limit=4&cursor=c_secretish",
};

afterEach(() => {
  trace.disable();
  context.disable();
  propagation.disable();
});

/** The single span named like `name` with `kind`. */
function only(spans: readonly ReadableSpan[], kind: SpanKind, name?: string): ReadableSpan {
  const found = spans.filter((s) => s.kind === kind && (name === undefined || s.name === name));
  expect(found, `one ${SpanKind[kind]} span${name ? ` named ${name}` : ""}`).toHaveLength(1);
  return found[0] as ReadableSpan;
}

describe("the call span", () => {
  test("is named {method} {url.template}, INTERNAL, and carries the target, the operation and the outcome", () => {
    const r = recorder();
    const call = openTelemetry({ tracerProvider: r.provider }).startCall({ ...items, idempotencyKey: "idem-1" });
    call.startAttempt(1, {}).end({ status: 200 });
    call.end({ meta: { attempts: 1, durationMs: 3, status: 200, requestId: "req-9", credits: { remaining: 940 }, rateLimit: { remaining: 17 } } });

    const span = only(r.spans(), SpanKind.INTERNAL);
    expect(span.name).toBe("GET /v1/items/{itemId}");
    expect(span.attributes).toEqual({
      [A.METHOD]: "GET",
      [A.URL_FULL]: "https://api.atrope.dev/v1/items/i1?limit=REDACTED&cursor=REDACTED",
      [A.SERVER_ADDRESS]: "api.atrope.dev",
      [A.SERVER_PORT]: 443,
      [A.URL_TEMPLATE]: "/v1/items/{itemId}",
      [A.API]: "ims",
      [A.OPERATION]: "GET /v1/items/{itemId}",
      [A.IDEMPOTENCY_KEY]: "idem-1",
      [A.STATUS_CODE]: 200,
      [A.ATTEMPTS]: 1,
      [A.REQUEST_ID]: "req-9",
      [A.CREDITS_REMAINING]: 940,
      [A.RATE_LIMIT_REMAINING]: 17,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.instrumentationScope).toMatchObject({ name: "@portico/core", version: packageVersion() });
  });

  test.each([
    // given: method, url, operation → want: name, url.full, server.address, server.port, url.template
    ["GET", "https://api.example.com/v1/items", "GET /v1/items", "GET /v1/items", "https://api.example.com/v1/items", "api.example.com", 443, "/v1/items"],
    ["POST", "http://127.0.0.1:8080/base/v1/orders?dry=1", "POST /v1/orders", "POST /base/v1/orders", "http://127.0.0.1:8080/base/v1/orders?dry=REDACTED", "127.0.0.1", 8080, "/base/v1/orders"],
    ["GET", "https://backend.example/api/v1/integration/suppliers/a%2Fb", "GET /suppliers/{id}", "GET /api/v1/integration/suppliers/{id}", "https://backend.example/api/v1/integration/suppliers/a%2Fb", "backend.example", 443, "/api/v1/integration/suppliers/{id}"],
    ["GET", "https://user:pw@api.example.com/v1/items?flag&q=a=b", "GET /v1/items", "GET /v1/items", "https://REDACTED:REDACTED@api.example.com/v1/items?flag&q=REDACTED", "api.example.com", 443, "/v1/items"],
    ["DELETE", "http://[::1]:9000/", "DELETE /", "DELETE /", "http://[::1]:9000/", "::1", 9000, "/"],
    ["get", "http://api.example.com/v1/items/", "GET /v1/items/", "GET /v1/items/", "http://api.example.com/v1/items/", "api.example.com", 80, "/v1/items/"],
    ["GET", "https://API.Example.com?q=1#frag", "GET /", "GET /", "https://api.example.com/?q=REDACTED", "api.example.com", 443, "/"],
  ])("%s %s (%s) → %s", (method, url, operation, name, full, address, port, template) => {
    const r = recorder();
    openTelemetry({ tracerProvider: r.provider }).startCall({ api: "x", operation, method, url, redact }).end({ meta: { attempts: 0, durationMs: 0 } });
    const span = only(r.spans(), SpanKind.INTERNAL);
    expect(span.name).toBe(name);
    expect(span.attributes).toMatchObject({ [A.URL_FULL]: full, [A.SERVER_ADDRESS]: address, [A.SERVER_PORT]: port, [A.URL_TEMPLATE]: template, [A.METHOD]: method.toUpperCase() });
  });

  test("a method HTTP does not define is _OTHER, the original beside it, and the name says HTTP", () => {
    const r = recorder();
    openTelemetry({ tracerProvider: r.provider })
      .startCall({ api: "x", operation: "PURGE /cache", method: "PURGE", url: "https://cdn.example/cache", redact })
      .end({ meta: { attempts: 0, durationMs: 0 } });
    const span = only(r.spans(), SpanKind.INTERNAL);
    expect(span.name).toBe("HTTP /cache");
    expect(span.attributes).toMatchObject({ [A.METHOD]: "_OTHER", [A.METHOD_ORIGINAL]: "PURGE" });
  });

  test("an error ends it in ERROR, with the error's code as error.type and its message as the description", () => {
    const r = recorder();
    const call = openTelemetry({ tracerProvider: r.provider }).startCall(items);
    const error = new PorticoError("INSUFFICIENT_CREDITS", "The credit guard refused the call: 3 credits left, it costs 5.");
    call.end({ error, meta: { attempts: 0, durationMs: 0 } });
    const span = only(r.spans(), SpanKind.INTERNAL);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(span.attributes).toMatchObject({ [A.ERROR_TYPE]: "INSUFFICIENT_CREDITS", [A.ATTEMPTS]: 0 });
    expect(childrenOf(r.spans(), span)).toEqual([]);
  });

  test("status descriptions go through the client's redactor, on call, attempt and token spans", () => {
    const r = recorder();
    const call = openTelemetry({ tracerProvider: r.provider }).startCall(items);
    const attempt = call.startAttempt(1, {});
    const leaky = new PorticoError("TOKEN_REFRESH_FAILED", "The token endpoint echoed s3cret-held-now back.");
    attempt.tokenRequest!({ credential: "c", reason: "initial" }).end({ error: leaky });
    attempt.end({ error: leaky });
    call.end({ error: leaky, meta: { attempts: 1, durationMs: 0 } });
    const messages = r.spans().map((s) => s.status.message);
    expect(messages).toEqual(Array(3).fill("The token endpoint echoed [REDACTED] back."));
  });

  test("a wait for a budget is a portico.paced event with its delay and reason", () => {
    const r = recorder();
    const call = openTelemetry({ tracerProvider: r.provider }).startCall(items);
    call.paced?.(1500, "rate-limit");
    call.paced?.(60_000, "credits");
    call.end({ meta: { attempts: 0, durationMs: 0 } });
    expect(only(r.spans(), SpanKind.INTERNAL).events.map((e) => [e.name, e.attributes])).toEqual([
      ["portico.paced", { [A.PACED_DELAY_MS]: 1500, [A.PACED_REASON]: "rate-limit" }],
      ["portico.paced", { [A.PACED_DELAY_MS]: 60_000, [A.PACED_REASON]: "credits" }],
    ]);
  });

  test("is a child of the caller's active span", () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const r = recorder();
    const observer = openTelemetry({ tracerProvider: r.provider });
    const app = r.provider.getTracer("app").startSpan("handle order");
    const call = context.with(trace.setSpan(context.active(), app), () => observer.startCall(items));
    call.end({ meta: { attempts: 0, durationMs: 0 } });
    app.end();
    const span = only(r.spans(), SpanKind.INTERNAL, "GET /v1/items/{itemId}");
    expect(span.parentSpanContext?.spanId).toBe(app.spanContext().spanId);
    expect(span.spanContext().traceId).toBe(app.spanContext().traceId);
  });

  test("without a tracerProvider, spans go to the global one, even one registered after the observer was made", () => {
    const observer = openTelemetry();
    const r = recorder();
    expect(trace.setGlobalTracerProvider(r.provider)).toBe(true);
    observer.startCall(items).end({ meta: { attempts: 0, durationMs: 0 } });
    expect(only(r.spans(), SpanKind.INTERNAL).instrumentationScope.name).toBe("@portico/core");
  });
});

describe("attempt spans", () => {
  test("are CLIENT children of the call span; resend_count from the second; retry, budgets and request id on each", () => {
    const r = recorder();
    const call = openTelemetry({ tracerProvider: r.provider }).startCall(items);
    call.startAttempt(1, {}).end({ status: 503, requestId: "req-1", retry: { delayMs: 1000, source: "retry-after" } });
    call.startAttempt(2, {}).end({ status: 429, retry: { delayMs: 250, source: "backoff" }, rateLimit: { remaining: 0, limit: 10 } });
    call.startAttempt(3, {}).end({ status: 200, requestId: "req-3", credits: { cost: 5, remaining: 935 }, rateLimit: { remaining: 9 } });
    call.end({ meta: { attempts: 3, durationMs: 1300, status: 200 } });

    const spans = r.spans();
    const root = only(spans, SpanKind.INTERNAL);
    const [first, second, third] = childrenOf(spans, root);
    expect(childrenOf(spans, root).map((s) => [s.name, s.kind])).toEqual([
      ["GET /v1/items/{itemId}", SpanKind.CLIENT],
      ["GET /v1/items/{itemId}", SpanKind.CLIENT],
      ["GET /v1/items/{itemId}", SpanKind.CLIENT],
    ]);
    const common = { [A.METHOD]: "GET", [A.URL_FULL]: "https://api.atrope.dev/v1/items/i1?limit=REDACTED&cursor=REDACTED", [A.SERVER_ADDRESS]: "api.atrope.dev", [A.SERVER_PORT]: 443 };
    expect(first?.attributes).toMatchObject({ ...common, [A.STATUS_CODE]: 503, [A.REQUEST_ID]: "req-1", [A.RETRY_DELAY_MS]: 1000, [A.RETRY_SOURCE]: "retry-after", [A.ERROR_TYPE]: "503" });
    expect(first?.attributes).not.toHaveProperty(A.RESEND_COUNT);
    expect(first?.status).toEqual({ code: SpanStatusCode.ERROR }); // no description: the status code says it
    expect(second?.attributes).toMatchObject({ [A.RESEND_COUNT]: 1, [A.STATUS_CODE]: 429, [A.RETRY_DELAY_MS]: 250, [A.RETRY_SOURCE]: "backoff", [A.RATE_LIMIT_REMAINING]: 0 });
    expect(third?.attributes).toMatchObject({ [A.RESEND_COUNT]: 2, [A.STATUS_CODE]: 200, [A.CREDITS_COST]: 5, [A.CREDITS_REMAINING]: 935, [A.RATE_LIMIT_REMAINING]: 9, [A.REQUEST_ID]: "req-3" });
    expect(third?.attributes).not.toHaveProperty(A.RETRY_DELAY_MS);
    expect(third?.attributes).not.toHaveProperty(A.ERROR_TYPE);
    expect(third?.status.code).toBe(SpanStatusCode.UNSET);
    expect(root.attributes).toMatchObject({ [A.ATTEMPTS]: 3, [A.STATUS_CODE]: 200 });
  });

  test("a 401 replay is marked, and the replayed attempt counts as a resend", () => {
    const r = recorder();
    const call = openTelemetry({ tracerProvider: r.provider }).startCall(items);
    call.startAttempt(1, {}).end({ status: 401, replay: true });
    call.startAttempt(2, {}).end({ status: 200 });
    call.end({ meta: { attempts: 2, durationMs: 0, status: 200 } });
    const [first, second] = childrenOf(r.spans(), only(r.spans(), SpanKind.INTERNAL));
    expect(first?.attributes).toMatchObject({ [A.REPLAY]: true, [A.STATUS_CODE]: 401, [A.ERROR_TYPE]: "401" });
    expect(second?.attributes).toMatchObject({ [A.RESEND_COUNT]: 1 });
    expect(second?.attributes).not.toHaveProperty(A.REPLAY);
  });

  test("an attempt without a response is an error of the SDK's code, described by its message", () => {
    const r = recorder();
    const call = openTelemetry({ tracerProvider: r.provider }).startCall(items);
    const error = new PorticoError("NETWORK_ERROR", "The request to api.atrope.dev failed before a response arrived (ECONNRESET).");
    call.startAttempt(1, {}).end({ error });
    call.end({ error, meta: { attempts: 1, durationMs: 0 } });
    const attempt = only(r.spans(), SpanKind.CLIENT);
    expect(attempt.attributes).toMatchObject({ [A.ERROR_TYPE]: "NETWORK_ERROR" });
    expect(attempt.attributes).not.toHaveProperty(A.STATUS_CODE);
    expect(attempt.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
  });

  test("write their own traceparent (and the trace's tracestate) into the attempt's headers", () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const r = recorder();
    const observer = openTelemetry({ tracerProvider: r.provider, propagator: w3c });
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
      traceState: new TraceState("vendor=opaque"),
    });
    const call = context.with(remote, () => observer.startCall(items));
    const sent = [{ accept: "application/json" }, {}] as Record<string, string>[];
    call.startAttempt(1, sent[0] as Record<string, string>).end({ status: 503, retry: { delayMs: 0, source: "backoff" } });
    call.startAttempt(2, sent[1] as Record<string, string>).end({ status: 200 });
    call.end({ meta: { attempts: 2, durationMs: 0, status: 200 } });

    const [first, second] = childrenOf(r.spans(), only(r.spans(), SpanKind.INTERNAL));
    expect(sent[0]).toEqual({ accept: "application/json", traceparent: traceparentOf(first!.spanContext()), tracestate: "vendor=opaque" });
    expect(sent[1]?.traceparent).toBe(traceparentOf(second!.spanContext()));
    expect(first?.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
  });

  test("propagate through the global propagator by default; propagate: false writes nothing", () => {
    propagation.setGlobalPropagator(w3c);
    const r = recorder();
    const headers: Record<string, string> = {};
    const quiet: Record<string, string> = {};
    const call = openTelemetry({ tracerProvider: r.provider }).startCall(items);
    call.startAttempt(1, headers).end({ status: 200 });
    call.end({ meta: { attempts: 1, durationMs: 0 } });
    const silent = openTelemetry({ tracerProvider: r.provider, propagate: false, propagator: w3c }).startCall(items);
    silent.startAttempt(1, quiet).end({ status: 200 });
    silent.end({ meta: { attempts: 1, durationMs: 0 } });
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(quiet).toEqual({});
    expect(r.spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(2); // spans either way
  });

  test("sampled out, nothing is exported, and the context still travels (not sampled)", () => {
    const r = recorder({ sampler: new AlwaysOffSampler() });
    const headers: Record<string, string> = {};
    const call = openTelemetry({ tracerProvider: r.provider, propagator: w3c }).startCall(items);
    call.startAttempt(1, headers).end({ status: 503, retry: { delayMs: 5, source: "backoff" } });
    call.end({ meta: { attempts: 1, durationMs: 0 } });
    expect(r.spans()).toEqual([]);
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });

  test("an attempt the call path never ended ends when the next starts, or with the call", () => {
    const r = recorder();
    const call = openTelemetry({ tracerProvider: r.provider }).startCall(items);
    call.startAttempt(1, {});
    const second = call.startAttempt(2, {});
    call.end({ meta: { attempts: 2, durationMs: 0 } });
    second.end({ status: 200 }); // too late: already ended with the call
    call.end({ meta: { attempts: 2, durationMs: 0 } }); // twice: ignored
    const spans = r.spans();
    expect(spans).toHaveLength(3);
    expect(childrenOf(spans, only(spans, SpanKind.INTERNAL))).toHaveLength(2);
    expect(spans.every((s) => !(A.STATUS_CODE in s.attributes) || s.kind === SpanKind.INTERNAL)).toBe(true);
  });
});

describe("token request spans", () => {
  test("are children of the attempt that started them, linked both ways with the attempts of other calls that waited", () => {
    const r = recorder();
    const observer = openTelemetry({ tracerProvider: r.provider });
    const a = observer.startCall(items);
    const b = observer.startCall({ ...items, url: "https://api.atrope.dev/v1/items/i2" });
    const attemptA = a.startAttempt(1, {});
    const attemptB = b.startAttempt(1, {});
    const token = attemptA.tokenRequest!({ credential: "clientCredentials(cli-ims…f3a9)", reason: "initial" });
    attemptB.joinedTokenRequest!(token);
    token.end({ expiresAt: Date.UTC(2026, 3, 22, 15), fromCache: false });
    attemptA.end({ status: 200 });
    attemptB.end({ status: 200 });
    a.end({ meta: { attempts: 1, durationMs: 0 } });
    b.end({ meta: { attempts: 1, durationMs: 0 } });

    const spans = r.spans();
    const tokenSpan = only(spans, SpanKind.INTERNAL, TOKEN_SPAN_NAME);
    const [callA, callB] = roots(spans);
    const [spanA] = childrenOf(spans, callA!);
    const [spanB] = childrenOf(spans, callB!);
    expect(tree(spans, callA!)).toEqual({
      name: "GET /v1/items/{itemId}",
      kind: SpanKind.INTERNAL,
      children: [{ name: "GET /v1/items/{itemId}", kind: SpanKind.CLIENT, children: [{ name: TOKEN_SPAN_NAME, kind: SpanKind.INTERNAL, children: [] }] }],
    });
    expect(tokenSpan.attributes).toEqual({
      [A.CREDENTIAL]: "clientCredentials(cli-ims…f3a9)",
      [A.TOKEN_REASON]: "initial",
      [A.TOKEN_FROM_CACHE]: false,
      [A.TOKEN_EXPIRES_AT]: "2026-04-22T15:00:00.000Z",
    });
    expect(tokenSpan.links.map((l) => l.context.spanId)).toEqual([spanB!.spanContext().spanId]);
    expect(spanB!.links.map((l) => l.context.spanId)).toEqual([tokenSpan.spanContext().spanId]);
    expect(spanA!.links).toEqual([]);
  });

  test("a failed token request is an error with the code; an attempt joining it after it ended links one way", () => {
    const r = recorder();
    const observer = openTelemetry({ tracerProvider: r.provider });
    const a = observer.startCall(items);
    const attemptA = a.startAttempt(1, {});
    const token = attemptA.tokenRequest!({ credential: "clientCredentials(cli…)", reason: "expired" });
    const error = new PorticoError("TOKEN_REFRESH_FAILED", "The token endpoint answered 500; no valid token remained.");
    token.end({ error });
    const late = observer.startCall(items).startAttempt(1, {});
    late.joinedTokenRequest!(token);
    late.end({ error });
    attemptA.end({ error });

    const spans = r.spans();
    const tokenSpan = only(spans, SpanKind.INTERNAL, TOKEN_SPAN_NAME);
    expect(tokenSpan.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(tokenSpan.attributes).toMatchObject({ [A.ERROR_TYPE]: "TOKEN_REFRESH_FAILED", [A.TOKEN_REASON]: "expired" });
    expect(tokenSpan.attributes).not.toHaveProperty(A.TOKEN_EXPIRES_AT);
    expect(tokenSpan.links).toEqual([]);
    const lateSpan = spans.find((s) => s.kind === SpanKind.CLIENT && s.links.length > 0);
    expect(lateSpan?.links.map((l) => l.context.spanId)).toEqual([tokenSpan.spanContext().spanId]);
  });

  test("a watch another observer made is ignored; combined with other observers, links still reach the spans", () => {
    const r = recorder();
    const logger: CallObserver = {
      startCall: () => ({ startAttempt: () => ({ tokenRequest: () => ({ end() {} }), end() {} }), end() {} }),
    };
    const otel = openTelemetry({ tracerProvider: r.provider });
    expect(() => otel.startCall(items).startAttempt(1, {}).joinedTokenRequest!({ end() {} })).not.toThrow();

    const both = combineObservers([logger, otel]);
    const a = both.startCall(items);
    const b = both.startCall(items);
    const attemptA = a.startAttempt(1, {});
    const attemptB = b.startAttempt(1, {});
    const token = attemptA.tokenRequest!({ credential: "c", reason: "initial" });
    attemptB.joinedTokenRequest!(token);
    token.end({ expiresAt: Number.NaN });
    for (const x of [attemptA, attemptB]) x.end({ status: 200 });
    for (const x of [a, b]) x.end({ meta: { attempts: 1, durationMs: 0 } });
    const tokenSpan = only(r.spans(), SpanKind.INTERNAL, TOKEN_SPAN_NAME);
    expect(tokenSpan.links).toHaveLength(1);
    expect(tokenSpan.attributes).not.toHaveProperty(A.TOKEN_EXPIRES_AT); // no date holds NaN
  });

  test("spans without addLink (an API before 1.9, an SDK without links) get no links, and nothing throws", () => {
    const r = recorder();
    const withoutLinks: TracerProvider = {
      getTracer: (name, version) => {
        const tracer = r.provider.getTracer(name, version);
        return {
          startSpan: (spanName, options, ctx) => hideAddLink(tracer.startSpan(spanName, options, ctx)),
          startActiveSpan: tracer.startActiveSpan.bind(tracer),
        };
      },
    };
    const observer = openTelemetry({ tracerProvider: withoutLinks });
    const a = observer.startCall(items);
    const b = observer.startCall(items);
    const attemptA = a.startAttempt(1, {});
    const attemptB = b.startAttempt(1, {});
    const token = attemptA.tokenRequest!({ credential: "c", reason: "initial" });
    expect(() => attemptB.joinedTokenRequest!(token)).not.toThrow();
    token.end({});
    for (const x of [attemptA, attemptB]) x.end({ status: 200 });
    for (const x of [a, b]) x.end({ meta: { attempts: 1, durationMs: 0 } });
    expect(r.spans()).toHaveLength(5);
    expect(r.spans().every((s) => s.links.length === 0)).toBe(true);
  });
});

describe("options", () => {
  test.each([
    [{ tracerProvider: {} }, "tracerProvider", /getTracer/],
    [{ propagate: "yes" }, "propagate", /true or false/],
    [{ propagator: { inject() {} } }, "propagator", /TextMapPropagator/],
    [{ tracer: {} }, "tracer", /Unknown openTelemetry option: tracer/],
    ["on", "", /pass an object/],
  ])("%j is INVALID_OPTIONS naming %s", (options, option, message) => {
    let thrown: unknown;
    try {
      openTelemetry(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PorticoError);
    expect(thrown).toMatchObject({ code: "INVALID_OPTIONS", details: { option } });
    expect((thrown as Error).message).toMatch(message);
  });

  test("every notification of a call is safe on a watch whose spans are not recorded", () => {
    const call: CallWatch = openTelemetry({ tracerProvider: recorder({ sampler: new AlwaysOffSampler() }).provider }).startCall(items);
    const attempt = call.startAttempt(1, {});
    const token = attempt.tokenRequest!({ credential: "c", reason: "initial" });
    attempt.joinedTokenRequest!(token);
    token.end({ error: new PorticoError("TOKEN_REFRESH_FAILED", "x") });
    attempt.end({ status: 500 });
    call.paced?.(1, "credits");
    expect(() => call.end({ error: new PorticoError("NETWORK_ERROR", "x"), meta: { attempts: 1, durationMs: 0 } })).not.toThrow();
  });
});

function hideAddLink(span: Span): Span {
  return new Proxy(span, { get: (target, key) => (key === "addLink" || key === "addLinks" ? undefined : Reflect.get(target, key, target)) });
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}
