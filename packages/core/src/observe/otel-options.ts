/**
 * The options of `openTelemetry()`, checked once when the observer is made: a mistake throws
 * `INVALID_OPTIONS` naming the option and the fix, before any call is traced.
 */
import type { TextMapPropagator, TracerProvider } from "@opentelemetry/api";
import * as z from "zod/mini";
import { PorticoError } from "../errors/portico-error.js";
import { firstIssue, flag } from "../internal/option-schema.js";

/** Options of `openTelemetry()`. */
export interface OpenTelemetryOptions {
  /**
   * Where the spans go.
   * @default the global tracer provider (`trace.getTracer("@portico/core", version)`), so a provider the app registers later is used too
   */
  readonly tracerProvider?: TracerProvider;
  /**
   * Send each attempt's trace context to the API (`traceparent`, `tracestate`), so the server's
   * spans join the attempt's. Turn it off for an API that must not learn your trace ids.
   * @default true
   */
  readonly propagate?: boolean;
  /**
   * The propagator that writes those headers.
   * @default the global propagator (`propagation.inject`): W3C Trace Context once an SDK registers it, nothing before
   */
  readonly propagator?: TextMapPropagator;
}

const hasMethod = (value: unknown, name: string): boolean =>
  typeof value === "object" && value !== null && typeof (value as Record<string, unknown>)[name] === "function";

let schema: ReturnType<typeof buildSchema> | undefined;

const buildSchema = () =>
  z.strictObject({
    tracerProvider: z.optional(
      z.custom<TracerProvider>((v) => hasMethod(v, "getTracer"), {
        error: "must be a TracerProvider (an object with getTracer(name, version)), e.g. the provider your OpenTelemetry SDK set up",
      }),
    ),
    propagate: z.optional(flag()),
    propagator: z.optional(
      z.custom<TextMapPropagator>((v) => hasMethod(v, "inject") && hasMethod(v, "fields"), {
        error: "must be a TextMapPropagator (inject, extract, fields), e.g. new W3CTraceContextPropagator() from @opentelemetry/core",
      }),
    ),
  });

/**
 * Validates `openTelemetry()` options; throws `PorticoError("INVALID_OPTIONS")` naming the first
 * bad option and the fix.
 */
export function checkOpenTelemetryOptions(options: unknown): OpenTelemetryOptions {
  if (options === undefined) return {};
  const parsed = (schema ??= buildSchema()).safeParse(options);
  if (parsed.success) return parsed.data;
  const { issue, path, message } = firstIssue(parsed.error);
  if (issue?.code === "unrecognized_keys") {
    throw new PorticoError(
      "INVALID_OPTIONS",
      `Unknown openTelemetry option: ${issue.keys.join(", ")}. The options are tracerProvider, propagate and propagator (case-sensitive).`,
      { option: issue.keys[0] },
    );
  }
  throw new PorticoError(
    "INVALID_OPTIONS",
    path === "" ? `Invalid openTelemetry options: pass an object such as { tracerProvider }, or nothing.` : `Invalid openTelemetry option "${path}": ${message}.`,
    { option: path },
  );
}
