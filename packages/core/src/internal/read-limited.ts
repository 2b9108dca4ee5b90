/**
 * Reads a response body up to a limit, counting the bytes as they arrive (after any
 * `Content-Encoding` is undone, so a small gzip bomb counts as what it inflates to), and stops
 * reading as soon as the limit is passed: a body never costs more memory than its limit.
 */

/** What was read: the bytes, or that the body is over the limit (the rest was cancelled). */
export type LimitedBody = { readonly bytes: Uint8Array; readonly overLimit: false } | { readonly overLimit: true; readonly read: number };

export async function readLimited(response: Response, limit: number): Promise<LimitedBody> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit && !response.headers.has("content-encoding")) {
    await response.body?.cancel().catch(() => undefined);
    return { overLimit: true, read: 0 };
  }
  const stream = response.body;
  if (!stream) return { bytes: new Uint8Array(0), overLimit: false };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
      if (read > limit) {
        await reader.cancel().catch(() => undefined);
        return { overLimit: true, read };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return { bytes: chunks[0] as Uint8Array, overLimit: false };
  const bytes = new Uint8Array(read);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { bytes, overLimit: false };
}

/** Decodes UTF-8 bytes (invalid sequences become U+FFFD, as `Response.text()` does). */
export function utf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
