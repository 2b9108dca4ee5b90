/**
 * Request bodies by the spec's media type: a call's body is encoded once, into a string or bytes
 * that every retry resends identically. JSON, `application/x-www-form-urlencoded` (with the
 * OpenAPI `encoding` styles), `multipart/form-data` (files, streams, JSON parts), binary types and
 * `text/*`. No Node built-ins: core runs in browsers.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#encoding-object
 */
import { PorticoError } from "../errors/portico-error.js";
import type { PropertyEncoding } from "../spec/descriptor.js";

/** A body encoded once: what every attempt sends, and its `content-type`. */
export interface EncodedBody {
  readonly bytes: string | Uint8Array<ArrayBuffer> | undefined;
  readonly contentType: string | undefined;
}

/** Where an encoded body goes. */
export interface EncodeTarget {
  /** The caller's content-type header if set, else the operation's declared media type, else undefined (JSON). */
  readonly mediaType: string | undefined;
  readonly encoding?: Readonly<Record<string, PropertyEncoding>>;
  /** openapi-fetch's per-call `bodySerializer`, when the caller gives one: its output is sent (strings/bytes/FormData/Blob/URLSearchParams). */
  readonly serializer?: (body: unknown) => unknown;
  readonly signal?: AbortSignal;
}

type Bytes = Uint8Array<ArrayBuffer>;

const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";
const OCTETS = "application/octet-stream";
const NONE: EncodedBody = { bytes: undefined, contentType: undefined };

/**
 * Encodes a call's body for its media type, once. A body that cannot be sent as that media type
 * rejects with `INVALID_REQUEST` (nothing is sent); a stream read while `signal` aborts rejects
 * with the signal's reason.
 *
 * @example
 * await encodeBody({ address: { city: "Paris" } }, { mediaType: "application/x-www-form-urlencoded" })
 * // { bytes: "address%5Bcity%5D=Paris", contentType: "application/x-www-form-urlencoded" }
 */
export async function encodeBody(body: unknown, target: EncodeTarget): Promise<EncodedBody> {
  if (body === undefined) return NONE;
  const declared = target.mediaType?.trim() || undefined;
  if (target.serializer) return fromSerializer(target.serializer(body), declared, target.signal);
  // A wildcard (`*/*`) names no type to send: the body's own type, or JSON, is used.
  const mediaType = declared !== undefined && declared.split(";", 1)[0]?.trim() === "*/*" ? undefined : declared;
  const type = essence(mediaType);

  if (type === undefined || isJson(type)) {
    if (isFormData(body)) return multipart(body);
    // FormData and URLSearchParams carry their own media type.
    if (body instanceof URLSearchParams) return { bytes: body.toString(), contentType: FORM_TYPE };
    if (isBinary(body)) {
      // Already-encoded JSON when a JSON type is named; otherwise the body's own type.
      const bytes = await binary(body, target.signal);
      return { bytes, contentType: mediaType ?? (isBlob(body) && body.type !== "" ? body.type : OCTETS) };
    }
    return { bytes: json(body, mediaType ?? JSON_TYPE), contentType: mediaType ?? JSON_TYPE };
  }
  if (type === FORM_TYPE) {
    if (typeof body === "string") return { bytes: body, contentType: mediaType };
    if (body instanceof URLSearchParams) return { bytes: body.toString(), contentType: mediaType };
    if (isFormData(body)) return { bytes: formDataAsForm(body), contentType: mediaType };
    if (isBinary(body)) return { bytes: await binary(body, target.signal), contentType: mediaType };
    if (!isFieldObject(body)) throw invalid(FORM_TYPE, body, "pass an object of fields, URLSearchParams or an encoded string");
    return { bytes: encodeForm(body, target.encoding), contentType: mediaType };
  }
  if (type === "multipart/form-data") {
    if (isFormData(body)) return multipart(body);
    // An already-encoded multipart body is usable only with its boundary.
    if ((typeof body === "string" || isBinary(body)) && /;\s*boundary=/i.test(mediaType ?? "")) {
      return { bytes: typeof body === "string" ? body : await binary(body, target.signal), contentType: mediaType };
    }
    if (!isFieldObject(body)) throw invalid("multipart/form-data", body, "pass an object of fields (files as Blob, File, Uint8Array or ReadableStream) or a FormData");
    return multipart(await toFormData(body, target.encoding, target.signal));
  }
  if (type.startsWith("text/")) {
    if (typeof body === "string") return { bytes: body, contentType: mediaType };
    if (typeof body === "number" || typeof body === "boolean" || typeof body === "bigint") return { bytes: String(body), contentType: mediaType };
    if (isBinary(body)) return { bytes: await binary(body, target.signal), contentType: mediaType };
    throw invalid(type, body, "pass a string (numbers and booleans are converted), or bytes already encoded");
  }
  // Binary types (`application/octet-stream`, `image/*`, `application/pdf`, ...) and any other
  // type: strings and bytes, sent as they are.
  if (typeof body === "string") return { bytes: body, contentType: concreteType(mediaType, body) };
  if (isBinary(body)) return { bytes: await binary(body, target.signal), contentType: concreteType(mediaType, body) };
  throw invalid(type, body, `pass a Blob, Uint8Array, ArrayBuffer or ReadableStream (or a string) already encoded as ${type}`);
}

/** Sends what openapi-fetch's `bodySerializer` returned. */
async function fromSerializer(out: unknown, mediaType: string | undefined, signal: AbortSignal | undefined): Promise<EncodedBody> {
  if (out === undefined || out === null) return NONE;
  if (isFormData(out)) return multipart(out);
  if (out instanceof URLSearchParams) return { bytes: out.toString(), contentType: mediaType !== undefined && essence(mediaType) === FORM_TYPE ? mediaType : FORM_TYPE };
  // openapi-fetch's default content type for a serialized body is JSON.
  if (typeof out === "string") return { bytes: out, contentType: mediaType ?? JSON_TYPE };
  if (isBinary(out)) return { bytes: await binary(out, signal), contentType: mediaType ?? (isBlob(out) && out.type !== "" ? out.type : OCTETS) };
  throw new PorticoError(
    "INVALID_REQUEST",
    `The bodySerializer returned ${describe(out)}; it must return a string, bytes (Uint8Array, ArrayBuffer, Blob), FormData or URLSearchParams. Nothing was sent.`,
  );
}

// --- JSON ------------------------------------------------------------------------------------

function json(body: unknown, mediaType: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch (cause) {
    throw new PorticoError("INVALID_REQUEST", `The request body cannot be encoded as ${mediaType}: JSON.stringify failed (a circular reference or a BigInt?). Pass JSON-serializable data. Nothing was sent.`, { cause });
  }
  if (text === undefined) throw invalid(mediaType, body, "pass JSON-serializable data");
  return text;
}

// --- application/x-www-form-urlencoded -----------------------------------------------------

/**
 * Encodes an object of fields as a form: arrays per `style`/`explode` (default `form`, exploded:
 * `tag=a&tag=b`), objects as `deepObject` (`address[city]=Paris`, arrays inside as `expand[0]=a`)
 * unless the encoding says otherwise. `undefined` is dropped, `null` is an empty value.
 */
function encodeForm(fields: Readonly<Record<string, unknown>>, encoding?: Readonly<Record<string, PropertyEncoding>>): string {
  const out = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) appendField(out, name, value, encoding?.[name]);
  return out.toString();
}

function appendField(out: URLSearchParams, name: string, value: unknown, encoding: PropertyEncoding | undefined): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    const style = encoding?.style ?? "form";
    const explode = encoding?.explode ?? style === "form";
    if (style === "deepObject" || value.some(isFieldObject) || value.some(Array.isArray)) return appendDeep(out, name, value);
    if (explode) {
      for (const item of value) if (item !== undefined) out.append(name, scalar(item, name));
      return;
    }
    out.append(name, value.filter((item) => item !== undefined).map((item) => scalar(item, name)).join(delimiter(style)));
    return;
  }
  if (isFieldObject(value)) {
    const style = encoding?.style ?? "deepObject";
    if (style === "deepObject") return appendDeep(out, name, value);
    const explode = encoding?.explode ?? style === "form";
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (style === "form" && explode) {
      for (const [key, inner] of entries) appendDeep(out, key, inner);
      return;
    }
    out.append(name, entries.flatMap(([key, inner]) => [key, scalar(inner, `${name}.${key}`)]).join(delimiter(style)));
    return;
  }
  out.append(name, scalar(value, name));
}

/** `deepObject`, recursively: `name[key]=…`, arrays as `name[0]=…` (as Stripe's servers read them). */
function appendDeep(out: URLSearchParams, name: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => appendDeep(out, `${name}[${index}]`, item));
    return;
  }
  if (isFieldObject(value)) {
    for (const [key, inner] of Object.entries(value)) appendDeep(out, `${name}[${key}]`, inner);
    return;
  }
  out.append(name, scalar(value, name));
}

function delimiter(style: PropertyEncoding["style"]): string {
  return style === "spaceDelimited" ? " " : style === "pipeDelimited" ? "|" : ",";
}

/** A form value: strings as they are, numbers/booleans as strings, `Date` as ISO, `null` empty. */
function scalar(value: unknown, field: string): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value instanceof Date) return value.toISOString();
  throw new PorticoError(
    "INVALID_REQUEST",
    `The request body cannot be sent as ${FORM_TYPE}: field "${field}" is ${describe(value)}. Send files as multipart/form-data (set the content-type header), or pass strings, numbers, booleans, dates, arrays and objects. Nothing was sent.`,
  );
}

function formDataAsForm(form: FormData): string {
  const out = new URLSearchParams();
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string") {
      throw new PorticoError(
        "INVALID_REQUEST",
        `The request body cannot be sent as ${FORM_TYPE}: FormData field "${name}" is a file. Send files as multipart/form-data (set the content-type header). Nothing was sent.`,
      );
    }
    out.append(name, value);
  }
  return out.toString();
}

// --- multipart/form-data --------------------------------------------------------------------

/** Serializes a FormData once: its bytes and `multipart/form-data; boundary=…`. */
async function multipart(form: FormData): Promise<EncodedBody> {
  const encoded = new Response(form);
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type") ?? undefined };
}

async function toFormData(fields: Readonly<Record<string, unknown>>, encoding: Readonly<Record<string, PropertyEncoding>> | undefined, signal: AbortSignal | undefined): Promise<FormData> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    const contentType = concrete(encoding?.[name]?.contentType);
    if (Array.isArray(value)) {
      for (const item of value) await appendPart(form, name, item, contentType, signal);
    } else {
      await appendPart(form, name, value, contentType, signal);
    }
  }
  return form;
}

async function appendPart(form: FormData, name: string, value: unknown, contentType: string | undefined, signal: AbortSignal | undefined): Promise<void> {
  if (value === undefined) return;
  if (value === null) return form.append(name, "");
  if (typeof value === "string") return form.append(name, value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return form.append(name, String(value));
  if (value instanceof Date) return form.append(name, value.toISOString());
  if (isBlob(value)) {
    const fileName = isFile(value) ? value.name : "blob";
    // A Blob's own type wins; an untyped one takes the encoding's type.
    const typed = value.type === "" && contentType !== undefined ? new Blob([value], { type: contentType }) : value;
    return form.append(name, typed, fileName);
  }
  if (isBinary(value)) return form.append(name, new Blob([await binary(value, signal)], { type: contentType ?? OCTETS }), "blob");
  if (isFieldObject(value) || Array.isArray(value)) {
    return form.append(name, new Blob([json(value, JSON_TYPE)], { type: contentType ?? JSON_TYPE }), "blob");
  }
  throw new PorticoError(
    "INVALID_REQUEST",
    `The request body cannot be sent as multipart/form-data: field "${name}" is ${describe(value)}. Pass strings, numbers, booleans, files (Blob, File, Uint8Array, ReadableStream) or objects. Nothing was sent.`,
  );
}

// --- bytes ----------------------------------------------------------------------------------

type BinaryInput = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<unknown>;

function isBinary(value: unknown): value is BinaryInput {
  return (
    isBlob(value) ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    (typeof ReadableStream !== "undefined" && value instanceof ReadableStream)
  );
}

/** A copy of the bytes (the caller may reuse its buffer); a stream is read to its end first. */
async function binary(value: BinaryInput, signal: AbortSignal | undefined): Promise<Bytes> {
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
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

// --- media types and values -----------------------------------------------------------------

/** The lower-case `type/subtype` of a media type, without parameters. */
function essence(mediaType: string | undefined): string | undefined {
  if (mediaType === undefined) return undefined;
  return mediaType.split(";", 1)[0]?.trim().toLowerCase() || undefined;
}

function isJson(type: string): boolean {
  return type === JSON_TYPE || type.endsWith("+json");
}

/** A single concrete type (`image/png`), or undefined for a list or a wildcard (`image/*`). */
function concrete(contentType: string | undefined): string | undefined {
  const type = contentType?.trim();
  return type && !type.includes(",") && !type.includes("*") ? type : undefined;
}

/** The content type to send for bytes: the declared type, or for a wildcard the Blob's own (or octets). */
function concreteType(mediaType: string | undefined, body: unknown): string {
  const declared = concrete(mediaType);
  if (declared !== undefined) return declared;
  return isBlob(body) && body.type !== "" ? body.type : OCTETS;
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

function isFile(value: Blob): value is File {
  return typeof File !== "undefined" && value instanceof File;
}

function isFormData(value: unknown): value is FormData {
  return typeof FormData !== "undefined" && value instanceof FormData;
}

/** An object of fields: not null, not an array, not one of the platform's body types or a Date. */
function isFieldObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof URLSearchParams) && !isFormData(value) && !isBinary(value);
}

/** What a value is, never what it holds (bodies may carry secrets). */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const name = (value as object).constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
  }
  return typeof value === "undefined" ? "undefined" : /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}

function invalid(mediaType: string, body: unknown, fix: string): PorticoError {
  return new PorticoError("INVALID_REQUEST", `The request body cannot be sent as ${mediaType}: it is ${describe(body)}. ${capitalize(fix)}. Nothing was sent.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
