/**
 * A body handed to the caller unread (`parseAs: "stream"`) outlives the attempt that fetched it,
 * and with the attempt goes the link between the call's signal and the request. This keeps the
 * signal's hold on the body: when it aborts while the caller reads, the body is cancelled (the
 * connection with it) and the read fails with the call's `ABORTED` error.
 */
import type { PorticoError } from "../errors/portico-error.js";

/** `body`, cancelled when `signal` aborts before it is read to its end; the listener goes when the body ends. */
export function followCallerSignal(body: ReadableStream<Uint8Array>, signal: AbortSignal, aborted: () => PorticoError): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let onAbort: (() => void) | undefined;
  const release = (): void => {
    if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
    onAbort = undefined;
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onAbort = () => {
          release();
          controller.error(aborted());
          reader.cancel(signal.reason).catch(() => undefined);
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      },
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (signal.aborted) return; // the stream already failed with ABORTED
          if (done) {
            release();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          release();
          controller.error(signal.aborted ? aborted() : error);
        }
      },
      cancel(reason) {
        release();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
