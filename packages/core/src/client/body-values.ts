/**
 * What request bodies are made of, shared by the core encoder and the body stages: type guards
 * for the platform's body types, bytes read once (streams to their end), JSON, a FormData
 * serialized to multipart bytes, and errors that say what a body is, never what it holds. The
 * JSON path (`encode-body.ts`) uses only the JSON and media-type helpers; the rest is reached
 * from `encode-other-body.ts` (loaded on first use) and from the form and multipart stages.
 */
import { PorticoError } from "../errors/portico-error.js";
import { concatBytes } from "../internal/read-limited.js";
import type { EncodedBody } from "./encode-body.js";

export type Bytes = Uint8Array<ArrayBuffer>;

export const JSON_TYPE = "application/json";
export const FORM_TYPE = "application/x-www-form-urlencoded";
export const OCTETS = "application/octet-stream";

/** JSON text of a body; `INVALID_REQUEST` when it has none (a circular reference, a BigInt, a function). */
export function json(body: unknown, mediaType: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (cause) {
    throw new PorticoError("INVALID_REQUEST", `The request body cannot be encoded as ${mediaType}: JSON.stringify failed (a circular reference or a BigInt?). Pass JSON-serializable data. Nothing was sent.`, { cause });
  }
  if (text === undefined) throw invalid(mediaType, body, "pass JSON-serializable data");
  return text;
}

/** Serializes a FormData once: its bytes and `multipart/form-data; boundary=…`. */
export async function multipart(form: FormData): Promise<EncodedBody> {
  const encoded = new Response(form);
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type") ?? undefined };
}

// --- bytes ----------------------------------------------------------------------------------

export type BinaryInput = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<unknown>;

export function isBinary(value: unknown): value is BinaryInput {
  return (
    isBlob(value) ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    (typeof ReadableStream !== "undefined" && value instanceof ReadableStream)
  );
}

/** A copy of the bytes (the caller may reuse its buffer); a stream is read to its end first. */
export async function binary(value: BinaryInput, signal: AbortSignal | undefined): Promise<Bytes> {
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0));
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
  if (isBlob(value)) return new Uint8Array(await value.arrayBuffer());
  return readStream(value, signal);
}

async function readStream(stream: ReadableStream<unknown>, signal: AbortSignal | undefined): Promise<Bytes> {
  if (signal?.aborted) throw signal.reason;
  let reader: ReadableStreamDefaultReader<unknown>;
  try {
    reader = stream.getReader();
  } catch (cause) {
    throw new PorticoError("INVALID_REQUEST", "The request body stream is locked or already read; pass a fresh ReadableStream. Nothing was sent.", { cause });
  }
  let onAbort: (() => void) | undefined;
  const aborted =
    signal === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          onAbort = () => reject(signal.reason);
          signal.addEventListener("abort", onAbort, { once: true });
        });
  const chunks: Uint8Array[] = [];
  let length = 0;
  const encoder = new TextEncoder();
  try {
    for (;;) {
      const { done, value } = aborted === undefined ? await reader.read() : await Promise.race([reader.read(), aborted]);
      if (done) break;
      const chunk = typeof value === "string" ? encoder.encode(value) : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : value instanceof ArrayBuffer ? new Uint8Array(value) : undefined;
      if (chunk === undefined) throw new PorticoError("INVALID_REQUEST", `The request body stream yielded ${describe(value)}; a body stream must yield bytes (Uint8Array) or strings. Nothing was sent.`);
      chunks.push(chunk);
      length += chunk.byteLength;
    }
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    throw error;
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
  return concatBytes(chunks, length);
}

// --- media types and values -----------------------------------------------------------------

/** The lower-case `type/subtype` of a media type, without parameters. */
export function essence(mediaType: string | undefined): string | undefined {
  if (mediaType === undefined) return undefined;
  return mediaType.split(";", 1)[0]?.trim().toLowerCase() || undefined;
}

export function isJson(type: string): boolean {
  return type === JSON_TYPE || type.endsWith("+json");
}

/** A single concrete type (`image/png`), or undefined for a list or a wildcard (`image/*`). */
export function concrete(contentType: string | undefined): string | undefined {
  const type = contentType?.trim();
  return type && !type.includes(",") && !type.includes("*") ? type : undefined;
}

/** The content type to send for bytes: the declared type, or for a wildcard the Blob's own (or octets). */
export function concreteType(mediaType: string | undefined, body: unknown): string {
  const declared = concrete(mediaType);
  if (declared !== undefined) return declared;
  return isBlob(body) && body.type !== "" ? body.type : OCTETS;
}

export function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

export function isFile(value: Blob): value is File {
  return typeof File !== "undefined" && value instanceof File;
}

export function isFormData(value: unknown): value is FormData {
  return typeof FormData !== "undefined" && value instanceof FormData;
}

/** An object of fields: not null, not an array, not one of the platform's body types or a Date. */
export function isFieldObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof URLSearchParams) && !isFormData(value) && !isBinary(value);
}

/** What a value is, never what it holds (bodies may carry secrets). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
  }
  return typeof value === "undefined" ? "undefined" : /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}

export function invalid(mediaType: string, body: unknown, fix: string): PorticoError {
  return new PorticoError("INVALID_REQUEST", `The request body cannot be sent as ${mediaType}: it is ${describe(body)}. ${capitalize(fix)}. Nothing was sent.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
