import type { Dispatcher } from "undici";

type BodyReadable = Dispatcher.ResponseData["body"];

/** Statuses whose `Response` must have a null body (Fetch standard). */
const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/**
 * Wraps undici's response in a WHATWG `Response` without buffering: the body streams from the
 * socket on demand, can be read once, and cancelling it destroys the underlying stream.
 */
export function responseFromUndici(
  data: Dispatcher.ResponseData,
  method: string,
  signal: AbortSignal | undefined,
): Response {
  const status = data.statusCode;
  const headers = headerPairs(data.headers);
  const init: ResponseInit = { status, statusText: data.statusText ?? "", headers };
  if (NULL_BODY_STATUS.has(status) || method === "HEAD") {
    data.body.dump().catch(noop);
    return new Response(null, init);
  }
  return new Response(streamBody(data.body, signal), init);
}

/** undici's header object (arrays for repeated headers such as `set-cookie`) as pairs. */
function headerPairs(raw: Dispatcher.ResponseData["headers"]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    if (typeof value === "string") pairs.push([name, value]);
    else for (const item of value) pairs.push([name, item]);
  }
  return pairs;
}

function streamBody(body: BodyReadable, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      } catch (error) {
        // fetch errors the body with the abort reason, and with a TypeError on network failure.
        controller.error(signal?.aborted ? signal.reason : new TypeError("terminated", { cause: error }));
      }
    },
    cancel(reason) {
      body.destroy(reason instanceof Error ? reason : undefined);
    },
  });
}

function noop(): void {}
