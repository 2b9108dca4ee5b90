/**
 * One attempt's abort signal: fires when the caller's signal aborts or the attempt's timeout
 * elapses, and says which of the two happened. `dispose()` releases the timer and listener.
 *
 * The `AbortSignal` is made when first read: on Node an `AbortController`, and the listeners an
 * HTTP client hangs on its signal, are among the dearest objects of a call, and a fetcher or
 * credential that never looks at the signal should not pay for them. A signal read after the
 * timeout or the caller's abort is already aborted. Fetchers that accept an event emitter as a
 * signal (undici does) can listen through `ABORT_SOURCE` instead, at the cost of an array push.
 */

/**
 * Where a fetcher finds the attempt's cheap abort source in its `init` (a registered symbol, so
 * `@portico/node` and core need not share a module). It has `aborted`, `reason`, and the
 * `once`/`on`/`removeListener` of an event emitter for the `"abort"` event.
 */
export const ABORT_SOURCE: unique symbol = Symbol.for("portico.abort-source") as never;

type Listener = (...args: unknown[]) => void;

export class AttemptSignal {
  /** True when the timeout (not the caller) aborted the attempt. */
  timedOut = false;
  /** Whether the attempt is aborted, and why (event-emitter side, for `ABORT_SOURCE`). */
  aborted = false;
  reason: unknown = undefined;
  #controller: AbortController | undefined;
  #listeners: Listener[] | undefined;
  readonly #parent: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #onParentAbort: (() => void) | undefined;

  constructor(parent: AbortSignal | undefined, timeoutMs: number) {
    this.#parent = parent;
    if (parent !== undefined) {
      if (parent.aborted) {
        this.aborted = true;
        this.reason = parent.reason;
      } else {
        this.#onParentAbort = () => this.#abort(parent.reason);
        parent.addEventListener("abort", this.#onParentAbort, { once: true });
      }
    }
    this.#timer =
      timeoutMs > 0 && Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            this.timedOut = true;
            this.#abort(new DOMException(`attempt timed out after ${timeoutMs} ms`, "TimeoutError"));
          }, timeoutMs)
        : undefined;
  }

  /** The attempt's `AbortSignal`, made on first read. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  on(event: string, listener: Listener): this {
    if (event === "abort") (this.#listeners ??= []).push(listener);
    return this;
  }

  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: Listener): this {
    const at = event === "abort" ? (this.#listeners?.indexOf(listener) ?? -1) : -1;
    if (at !== -1) this.#listeners?.splice(at, 1);
    return this;
  }

  /** Releases the timer and the caller's signal. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#onParentAbort !== undefined) this.#parent?.removeEventListener("abort", this.#onParentAbort);
  }

  #abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }
}

export function attemptSignal(parent: AbortSignal | undefined, timeoutMs: number): AttemptSignal {
  return new AttemptSignal(parent, timeoutMs);
}
