/**
 * Every request body the JSON path of `encode-body.ts` does not take: binary bodies (Blob,
 * ArrayBuffer, typed arrays, a ReadableStream read to its end), FormData serialized to multipart
 * bytes, URLSearchParams and encoded form strings, `text/*`, `application/octet-stream` and other
 * non-JSON types, instances of classes sent as JSON, and `bodySerializer` output other than a
 * string. Most calls send JSON or nothing, so `encodeBody` loads this module with the first body
 * that needs it: a chunk of its own in an app's bundle, which a page that only sends JSON never
 * fetches.
 */
import { PorticoError } from "../errors/portico-error.js";
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
import type { EncodedBody } from "./encode-body.js";

/**
 * Encodes a body that is not plain JSON data, for `mediaType` (already trimmed, a wildcard made
 * undefined) whose essence is `type`. A body that cannot be sent as that type rejects with
 * `INVALID_REQUEST`; a stream read while `signal` aborts rejects with the signal's reason.
 */
export async function encodeOther(body: unknown, mediaType: string | undefined, type: string | undefined, signal: AbortSignal | undefined): Promise<EncodedBody> {
  if (type === undefined || isJson(type)) {
    if (isFormData(body)) return multipart(body);
    // FormData and URLSearchParams carry their own media type.
    if (body instanceof URLSearchParams) return { bytes: body.toString(), contentType: FORM_TYPE };
    if (isBinary(body)) {
      // Already-encoded JSON when a JSON type is named; otherwise the body's own type.
      const bytes = await binary(body, signal);
      return { bytes, contentType: mediaType ?? (isBlob(body) && body.type !== "" ? body.type : OCTETS) };
    }
    return { bytes: json(body, mediaType ?? JSON_TYPE), contentType: mediaType ?? JSON_TYPE };
  }
  if (type === FORM_TYPE) {
    if (typeof body === "string") return { bytes: body, contentType: mediaType };
    if (body instanceof URLSearchParams) return { bytes: body.toString(), contentType: mediaType };
    if (isBinary(body)) return { bytes: await binary(body, signal), contentType: mediaType };
    throw invalid(FORM_TYPE, body, "pass URLSearchParams or an encoded string (this client's spec declares no form body, so it does not encode objects as forms)");
  }
  if (type === "multipart/form-data") {
    if (isFormData(body)) return multipart(body);
    // An already-encoded multipart body is usable only with its boundary.
    if ((typeof body === "string" || isBinary(body)) && /;\s*boundary=/i.test(mediaType ?? "")) {
      return { bytes: typeof body === "string" ? body : await binary(body, signal), contentType: mediaType };
    }
    throw invalid("multipart/form-data", body, "pass a FormData (this client's spec declares no multipart body, so it does not encode objects as parts)");
  }
  if (type.startsWith("text/")) {
    if (typeof body === "string") return { bytes: body, contentType: mediaType };
    if (typeof body === "number" || typeof body === "boolean" || typeof body === "bigint") return { bytes: String(body), contentType: mediaType };
    if (isBinary(body)) return { bytes: await binary(body, signal), contentType: mediaType };
    throw invalid(type, body, "pass a string (numbers and booleans are converted), or bytes already encoded");
  }
  // Binary types (`application/octet-stream`, `image/*`, `application/pdf`, ...) and any other
  // type: strings and bytes, sent as they are.
  if (typeof body === "string") return { bytes: body, contentType: concreteType(mediaType, body) };
  if (isBinary(body)) return { bytes: await binary(body, signal), contentType: concreteType(mediaType, body) };
  throw invalid(type, body, `pass a Blob, Uint8Array, ArrayBuffer or ReadableStream (or a string) already encoded as ${type}`);
}

/** Sends what openapi-fetch's `bodySerializer` returned, when that is not a string or nothing. */
export async function fromSerializer(out: unknown, mediaType: string | undefined, signal: AbortSignal | undefined): Promise<EncodedBody> {
  if (isFormData(out)) return multipart(out);
  if (out instanceof URLSearchParams) return { bytes: out.toString(), contentType: mediaType !== undefined && essence(mediaType) === FORM_TYPE ? mediaType : FORM_TYPE };
  if (isBinary(out)) return { bytes: await binary(out, signal), contentType: mediaType ?? (isBlob(out) && out.type !== "" ? out.type : OCTETS) };
  throw new PorticoError(
    "INVALID_REQUEST",
    `The bodySerializer returned ${describe(out)}; it must return a string, bytes (Uint8Array, ArrayBuffer, Blob), FormData or URLSearchParams. Nothing was sent.`,
  );
}
