/**
 * One attempt's abort signal: fires when the caller's signal aborts or the attempt's timeout
 * elapses, and says which of the two happened. `dispose()` releases the timer and listener.
 *
 * The signal is made when first read: an `AbortController` is one of the dearest objects of a
 * call on Node, and a fetcher or credential that never looks at the signal should not pay for
 * one. A signal read after the timeout or the caller's abort is already aborted.
 */
export interface AttemptSignal {
  readonly signal: AbortSignal;
  /** True when the timeout (not the caller) aborted the attempt. */
  readonly timedOut: boolean;
  dispose(): void;
}

export function attemptSignal(parent: AbortSignal | undefined, timeoutMs: number): AttemptSignal {
  let controller: AbortController | undefined;
  let timedOut = false;
  const timeoutReason = (): DOMException => new DOMException(`attempt timed out after ${timeoutMs} ms`, "TimeoutError");
  const onAbort = (): void => controller?.abort(parent?.reason);
  const timer =
    timeoutMs > 0 && Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          timedOut = true;
          controller?.abort(timeoutReason());
        }, timeoutMs)
      : undefined;
  return {
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        if (timedOut) controller.abort(timeoutReason());
        else if (parent?.aborted) controller.abort(parent.reason);
        else parent?.addEventListener("abort", onAbort, { once: true });
      }
      return controller.signal;
    },
    get timedOut() {
      return timedOut;
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      parent?.removeEventListener("abort", onAbort);
    },
  };
}
