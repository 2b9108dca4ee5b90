/**
 * Request bodies by the spec's media type: a call's body is encoded once, into a string or bytes
 * that every retry resends identically. Core encodes JSON, `text/*`, binary types, and bodies
 * already in their wire form (strings, bytes, `URLSearchParams`, `FormData`); the form and
 * multipart stages add objects of fields encoded per the OpenAPI `encoding` styles. No Node
 * built-ins: core runs in browsers.
 *
 * Most calls send JSON or nothing, so this module encodes only those: plain data (objects,
 * arrays, strings, numbers, booleans, null) for a JSON media type or none, and a `bodySerializer`
 * that returns a string. Every other body is encoded by `encode-other-body.ts`, loaded with the
 * first body that needs it.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#encoding-object
 */
import { missingChunkError } from "../internal/missing-chunk.js";
import type { PropertyEncoding } from "../spec/descriptor.js";
import { describe, essence, isJson, json, JSON_TYPE } from "./body-values.js";

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
 * with the signal's reason. A body other than plain JSON data whose encoder cannot be loaded
 * rejects with `NETWORK_ERROR` (nothing is sent).
 *
 * @example
 * await encodeBody({ sku: "A-1" }, { mediaType: undefined })
 * // { bytes: '{"sku":"A-1"}', contentType: "application/json" }
 */
export async function encodeBody(body: unknown, target: EncodeTarget): Promise<EncodedBody> {
  if (body === undefined) return NONE;
  const declared = target.mediaType?.trim() || undefined;
  if (target.serializer) {
    const out = target.serializer(body);
    if (out === undefined || out === null) return NONE;
    // openapi-fetch's default content type for a serialized body is JSON.
    if (typeof out === "string") return { bytes: out, contentType: declared ?? JSON_TYPE };
    return (await otherBodies(`${describe(out)} returned by bodySerializer`)).fromSerializer(out, declared, target.signal);
  }
  // A wildcard (`*/*`) names no type to send: the body's own type, or JSON, is used.
  const mediaType = declared !== undefined && declared.split(";", 1)[0]?.trim() === "*/*" ? undefined : declared;
  const type = essence(mediaType);
  if (type === undefined || isJson(type)) {
    if (isPlainData(body)) return { bytes: json(body, mediaType ?? JSON_TYPE), contentType: mediaType ?? JSON_TYPE };
  } else {
    const encoder = target.encoders?.[type];
    if (encoder !== undefined && mediaType !== undefined) return encoder(body, { ...target, mediaType });
  }
  return (await otherBodies(`${describe(body)} body${type !== undefined ? ` sent as ${type}` : ""}`)).encodeOther(body, mediaType, type, target.signal);
}

/**
 * Data that can only be sent as JSON: anything but an object (strings, numbers, booleans; what
 * `JSON.stringify` refuses is refused by `json`), null, an array, or an object whose prototype
 * is `Object.prototype` or null. Platform body types (Blob, FormData, URLSearchParams, typed
 * arrays, streams) and instances of other classes go to `encode-other-body.ts`.
 */
function isPlainData(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return true;
  const prototype = Object.getPrototypeOf(body) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * The encoder of every other body (`encode-other-body.ts`). If it cannot be loaded (a chunk the
 * app no longer serves after a deployment, or a page gone offline), the call ends with
 * `NETWORK_ERROR`, nothing sent, whose message names the body (`what`) and says how to fix it.
 */
async function otherBodies(what: string): Promise<typeof import("./encode-other-body.js")> {
  try {
    return await import("./encode-other-body.js");
  } catch (thrown) {
    throw missingChunkError({ code: "NETWORK_ERROR", notDone: "The request was not sent", module: `body encoder for ${what}`, loadedWith: "the first body that is not plain JSON data" }, thrown);
  }
}
