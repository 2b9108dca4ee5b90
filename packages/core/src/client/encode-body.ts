/**
 * Request bodies by the spec's media type: a call's body is encoded once, into a string or bytes
 * that every retry resends identically. Core encodes JSON, `text/*`, binary types, and bodies
 * already in their wire form (strings, bytes, `URLSearchParams`, `FormData`); the form and
 * multipart stages add objects of fields encoded per the OpenAPI `encoding` styles. No Node
 * built-ins: core runs in browsers.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#encoding-object
 */
import { PorticoError } from "../errors/portico-error.js";
import type { PropertyEncoding } from "../spec/descriptor.js";
import {
  binary,
  concreteType,
  describe,
  essence,
  FORM_TYPE,
  invalid,
  isBinary,
  isBlob,
  isFormData,
  isJson,
  json,
  JSON_TYPE,
  multipart,
  OCTETS,
} from "./body-values.js";

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
  /** Encoders of the client's stages, by media type essence. */
  readonly encoders?: Readonly<Record<string, BodyEncoder>>;
}

/** Encodes a body for one media type (a stage's); `target.mediaType` is the type to send. */
export type BodyEncoder = (body: unknown, target: EncodeTarget & { readonly mediaType: string }) => Promise<EncodedBody> | EncodedBody;

const NONE: EncodedBody = { bytes: undefined, contentType: undefined };

/**
 * Encodes a call's body for its media type, once. A body that cannot be sent as that media type
 * rejects with `INVALID_REQUEST` (nothing is sent); a stream read while `signal` aborts rejects
 * with the signal's reason.
 *
 * @example
 * await encodeBody({ sku: "A-1" }, { mediaType: undefined })
 * // { bytes: '{"sku":"A-1"}', contentType: "application/json" }
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
  const encoder = target.encoders?.[type];
  if (encoder !== undefined && mediaType !== undefined) return encoder(body, { ...target, mediaType });
  if (type === FORM_TYPE) {
    if (typeof body === "string") return { bytes: body, contentType: mediaType };
    if (body instanceof URLSearchParams) return { bytes: body.toString(), contentType: mediaType };
    if (isBinary(body)) return { bytes: await binary(body, target.signal), contentType: mediaType };
    throw invalid(FORM_TYPE, body, "pass URLSearchParams or an encoded string (this client's spec declares no form body, so it does not encode objects as forms)");
  }
  if (type === "multipart/form-data") {
    if (isFormData(body)) return multipart(body);
    // An already-encoded multipart body is usable only with its boundary.
    if ((typeof body === "string" || isBinary(body)) && /;\s*boundary=/i.test(mediaType ?? "")) {
      return { bytes: typeof body === "string" ? body : await binary(body, target.signal), contentType: mediaType };
    }
    throw invalid("multipart/form-data", body, "pass a FormData (this client's spec declares no multipart body, so it does not encode objects as parts)");
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
