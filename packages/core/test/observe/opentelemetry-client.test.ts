/**
 * The span tree of a real call: a client built with `createClient` and `telemetry:
 * openTelemetry(...)`, a `clientCredentials` credential, and one loopback server that is both the
 * token endpoint and the API. The call fetches a token, gets `503` with `Retry-After: 1`, waits
 * on the injected clock (whose sleep returns at once) and succeeds. The OpenTelemetry SDK exports
 * to memory; the server records the `traceparent` each request carried.
 */
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, test } from "vitest";
import { clientCredentials } from "../../src/index.js";
import { openTelemetry, OtelAttribute as A, TOKEN_SPAN_NAME } from "../../src/opentelemetry.js";
import { clientFor, ims } from "../support/apis.js";
import { START, movableClock } from "../support/clock.js";
import { json, useLoopbacks } from "../support/loopback.js";
import { childrenOf, recorder, roots, stringsOf, traceparentOf } from "./support/otel.js";

const servers = useLoopbacks();

const CLIENT_SECRET = "s3cret-otel-client-secret-7f41";
const ACCESS_TOKEN = "at-otel-9c2e51d0b7a84f63a1e4";

/** The token endpoint and the API on one loopback server: the first API request gets 503 + Retry-After: 1. */
async function startServer() {
  let apiCalls = 0;
  return servers.server((req, res) => {
    if (req.method === "POST" && req.url === "/oauth/token") return json(res, 200, { access_token: ACCESS_TOKEN, token_type: "Bearer", expires_in: 3600 });
    if (req.method === "GET" && req.url?.startsWith("/v1/items")) {
      apiCalls++;
      if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) return json(res, 401, { code: "UNAUTHORIZED", message: "no token" });
      if (apiCalls === 1) return json(res, 503, { code: "UNAVAILABLE", message: "busy" }, { "retry-after": "1" });
      return json(res, 200, { ok: true, via: "opaque" }, { "x-request-id": "req-ok-1" });
    }
    return json(res, 404, { code: "NOT_FOUND", message: req.url ?? "" });
  });
}

/** One line per span, children indented, with the attributes that tell the story (no ids, times or ports). */
function render(spans: readonly ReadableSpan[], span: ReadableSpan, depth = 0): string[] {
  const shown = [A.RESEND_COUNT, A.STATUS_CODE, A.ERROR_TYPE, A.RETRY_SOURCE, A.RETRY_DELAY_MS, A.ATTEMPTS, A.TOKEN_REASON, A.TOKEN_FROM_CACHE];
  const attributes = shown.filter((key) => key in span.attributes).map((key) => `${key}=${String(span.attributes[key])}`);
  const status = span.status.code === SpanStatusCode.ERROR ? " ERROR" : "";
  const line = `${"  ".repeat(depth)}${span.name} [${SpanKind[span.kind]}${status}] ${attributes.join(" ")}`.trimEnd();
  return [line, ...childrenOf(spans, span).flatMap((child) => render(spans, child, depth + 1))];
}

describe("the span tree of a call through the client", () => {
  test("token request, 503 with Retry-After: 1, then 200: one call span, two attempts, the token request under the first", async () => {
    const server = await startServer();
    const clock = movableClock(START);
    const slept: number[] = [];
    const { provider, spans: finished } = recorder();
    const client = clientFor(ims, {
      baseUrl: server.url,
      auth: clientCredentials({ tokenUrl: `${server.url}/oauth/token`, clientId: "cli-otel", clientSecret: CLIENT_SECRET, bodyEncoding: "json", clock }),
      retry: { maxRetries: 2 },
      clock: { now: () => clock.now(), sleep: async (ms: number) => (slept.push(ms), true) },
      telemetry: openTelemetry({ tracerProvider: provider, propagator: new W3CTraceContextPropagator() }),
    });

    const { data, error, meta } = await client.GET("/v1/items", { params: { query: { limit: "4" } } });
    expect(error).toBeUndefined();
    expect(data).toEqual({ ok: true, via: "opaque" });
    expect(meta.attempts).toBe(2);
    expect(slept).toEqual([1000]); // the Retry-After, waited on the injected clock

    const spans = finished();
    const [call, ...otherRoots] = roots(spans);
    expect(otherRoots, "one trace root: the call").toEqual([]);
    expect(render(spans, call!)).toEqual([
      "GET /v1/items [INTERNAL] http.response.status_code=200 portico.attempts=2",
      "  GET /v1/items [CLIENT ERROR] http.response.status_code=503 error.type=503 portico.retry.source=retry-after portico.retry.delay_ms=1000",
      "    portico token request [INTERNAL] portico.token.reason=initial portico.token.from_cache=false",
      "  GET /v1/items [CLIENT] http.request.resend_count=1 http.response.status_code=200",
    ]);

    const [first, second] = childrenOf(spans, call!);
    const token = spans.find((s) => s.name === TOKEN_SPAN_NAME)!;
    expect(token.parentSpanContext?.spanId).toBe(first!.spanContext().spanId);
    expect(token.attributes[A.CREDENTIAL]).toEqual(expect.stringContaining("cli-otel"));
    expect(token.attributes[A.TOKEN_EXPIRES_AT]).toBe(new Date(START + 3_600_000).toISOString());
    expect(second!.attributes).not.toHaveProperty(A.RETRY_SOURCE);
    expect(second!.attributes[A.REQUEST_ID]).toBe("req-ok-1");
    expect(call!.attributes).toMatchObject({
      [A.METHOD]: "GET",
      [A.URL_FULL]: `${server.url}/v1/items?limit=REDACTED`,
      [A.SERVER_ADDRESS]: "127.0.0.1",
      [A.SERVER_PORT]: Number(new URL(server.url).port),
      [A.URL_TEMPLATE]: "/v1/items",
      [A.OPERATION]: "GET /v1/items",
    });
    for (const span of spans) expect(span.spanContext().traceId).toBe(call!.spanContext().traceId);

    // Each API request carried its own attempt's context; the token request is not an attempt.
    const apiRequests = server.requests.filter((r) => r.url.startsWith("/v1/items"));
    expect(apiRequests.map((r) => r.headers.traceparent)).toEqual([traceparentOf(first!.spanContext()), traceparentOf(second!.spanContext())]);

    // No secret anywhere in what was exported: names, attributes, statuses, events, links.
    const everything = spans.flatMap(stringsOf).join("\n");
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(ACCESS_TOKEN);
  });
});
