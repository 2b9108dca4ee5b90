/**
 * The version of `@portico/core`, as the tracer's instrumentation scope states it. A test keeps it
 * equal to `package.json`'s (`test/observe/opentelemetry.test.ts`, the call span's scope): bump
 * both together.
 */
export const CORE_VERSION = "0.1.0";
