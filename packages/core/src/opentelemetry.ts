/**
 * `@portico/core/opentelemetry`: spans for every call, attempt and token request, through the
 * OpenTelemetry API the app has installed (`@opentelemetry/api`, an optional peer dependency).
 * This is the only module of core that imports it: the main entry never does.
 */
import { context, defaultTextMapSetter, propagation, trace } from "@opentelemetry/api";
import type { CallObserver } from "./observe/observer.js";
import { checkOpenTelemetryOptions, type OpenTelemetryOptions } from "./observe/otel-options.js";
import { createOtelObserver } from "./observe/otel-observer.js";
import { CORE_VERSION } from "./observe/version.js";

export type { OpenTelemetryOptions } from "./observe/otel-options.js";
export type { CallObserver } from "./observe/observer.js";
export { OtelAttribute, PACED_EVENT, TOKEN_SPAN_NAME } from "./observe/otel-attributes.js";

/** Instrumentation scope name of the tracer. */
export const TRACER_NAME = "@portico/core";

/**
 * A call observer that records OpenTelemetry spans, for a client's `telemetry` option: one span per
 * call (INTERNAL), a CLIENT span per attempt (HTTP client conventions, `http.request.resend_count`
 * from the second), a span per token request under the attempt that started it, linked with the
 * attempts that waited for it. Each attempt sends its trace context (`traceparent`) to the API.
 * Throws `INVALID_OPTIONS` for a bad option.
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/
 * @example
 * import { openTelemetry } from "@portico/core/opentelemetry";
 * const client = createImsApiClient({ auth, telemetry: openTelemetry() });
 */
export function openTelemetry(options?: OpenTelemetryOptions): CallObserver {
  const { tracerProvider, propagate = true, propagator } = checkOpenTelemetryOptions(options);
  const tracer = tracerProvider ? tracerProvider.getTracer(TRACER_NAME, CORE_VERSION) : trace.getTracer(TRACER_NAME, CORE_VERSION);
  const inject = !propagate
    ? undefined
    : propagator
      ? (ctx: Parameters<typeof propagation.inject>[0], headers: Record<string, string>) => propagator.inject(ctx, headers, defaultTextMapSetter)
      : (ctx: Parameters<typeof propagation.inject>[0], headers: Record<string, string>) => propagation.inject(ctx, headers);
  return createOtelObserver({ tracer, active: () => context.active(), setSpan: (ctx, span) => trace.setSpan(ctx, span), inject });
}
