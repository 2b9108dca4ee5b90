/**
 * The multipart stage: `multipart/form-data` bodies given as objects of fields (files as Blob,
 * File, bytes or streams, objects as JSON parts), with each part's content type from the
 * operation's OpenAPI `encoding`. Serialized once, so a retry resends identical bytes. A
 * generated client includes it when its spec declares a multipart body.
 */
import type { Stage } from "../client/stage.js";
import { binary, concrete, describe, invalid, isBinary, isBlob, isFieldObject, isFile, isFormData, json, JSON_TYPE, multipart, OCTETS } from "../client/body-values.js";
import type { BodyEncoder } from "../client/encode-body.js";
import { PorticoError } from "../errors/portico-error.js";
import type { PropertyEncoding } from "../spec/descriptor.js";

const MULTIPART = "multipart/form-data";

const encodeMultipartBody: BodyEncoder = async (body, target) => {
  const { mediaType } = target;
  if (isFormData(body)) return multipart(body);
  // An already-encoded multipart body is usable only with its boundary.
  if ((typeof body === "string" || isBinary(body)) && /;\s*boundary=/i.test(mediaType)) {
    return { bytes: typeof body === "string" ? body : await binary(body, target.signal), contentType: mediaType };
  }
  if (!isFieldObject(body)) throw invalid(MULTIPART, body, "pass an object of fields (files as Blob, File, Uint8Array or ReadableStream) or a FormData");
  return multipart(await toFormData(body, target.encoding, target.signal));
};

/** Encodes objects of fields as `multipart/form-data`. */
export const multipartBodyStage: Stage = { name: "multipartBody", encoders: { "multipart/form-data": encodeMultipartBody } };

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
