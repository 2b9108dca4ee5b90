/**
 * The OpenTelemetry SDK as a test records with it: a `BasicTracerProvider` exporting to memory
 * through a `SimpleSpanProcessor` (each span exported as it ends, no timer), and helpers to read
 * the finished spans as a tree.
 */
import type { SpanContext } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type Sampler } from "@opentelemetry/sdk-trace-base";

export interface Recorder {
  readonly provider: BasicTracerProvider;
  readonly exporter: InMemorySpanExporter;
  /** The spans ended so far, in the order they ended. */
  spans(): ReadableSpan[];
}

/** A provider whose spans land in memory, optionally with a sampler. */
export function recorder(options: { readonly sampler?: Sampler } = {}): Recorder {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)], ...(options.sampler ? { sampler: options.sampler } : {}) });
  return { provider, exporter, spans: () => exporter.getFinishedSpans() };
}

/** The span whose context is `context` (by span id). */
export function byContext(spans: readonly ReadableSpan[], context: SpanContext): ReadableSpan | undefined {
  return spans.find((s) => s.spanContext().spanId === context.spanId);
}

/** The spans whose parent is `parent`, in start order. */
export function childrenOf(spans: readonly ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  const id = parent.spanContext().spanId;
  return spans.filter((s) => s.parentSpanContext?.spanId === id).sort((a, b) => compareTime(a.startTime, b.startTime));
}

/** The spans without a parent among `spans`. */
export function roots(spans: readonly ReadableSpan[]): ReadableSpan[] {
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  return spans.filter((s) => s.parentSpanContext === undefined || !ids.has(s.parentSpanContext.spanId));
}

/** The tree under `span` as nested `{ name, kind, children }`, to compare a whole shape at once. */
export interface SpanNode {
  readonly name: string;
  readonly kind: number;
  readonly children: SpanNode[];
}

export function tree(spans: readonly ReadableSpan[], span: ReadableSpan): SpanNode {
  return { name: span.name, kind: span.kind, children: childrenOf(spans, span).map((child) => tree(spans, child)) };
}

/** The `traceparent` header a W3C propagator writes for `context`. */
export function traceparentOf(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.traceFlags.toString(16).padStart(2, "0")}`;
}

/** Every string an exported span carries: name, attribute values, status message, event and link attributes. */
export function stringsOf(span: ReadableSpan): string[] {
  const out: string[] = [span.name];
  const collect = (attributes: Record<string, unknown> | undefined): void => {
    for (const [key, value] of Object.entries(attributes ?? {})) out.push(key, ...(Array.isArray(value) ? value : [value]).map(String));
  };
  collect(span.attributes);
  if (span.status.message !== undefined) out.push(span.status.message);
  for (const event of span.events) {
    out.push(event.name);
    collect(event.attributes);
  }
  for (const link of span.links) collect(link.attributes);
  return out;
}

function compareTime(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
