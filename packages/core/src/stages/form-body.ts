/**
 * The form stage: `application/x-www-form-urlencoded` bodies given as objects of fields, encoded
 * per the operation's OpenAPI `encoding` (style and explode per property; objects as
 * `deepObject`, as Stripe reads them). A generated client includes it when its spec declares a
 * form body.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#encoding-object
 */
import type { Stage } from "../client/stage.js";
import { binary, describe, FORM_TYPE, invalid, isBinary, isFieldObject, isFormData } from "../client/body-values.js";
import type { BodyEncoder } from "../client/encode-body.js";
import { PorticoError } from "../errors/portico-error.js";
import type { PropertyEncoding } from "../spec/descriptor.js";

const encodeFormBody: BodyEncoder = async (body, target) => {
  const { mediaType } = target;
  if (typeof body === "string") return { bytes: body, contentType: mediaType };
  if (body instanceof URLSearchParams) return { bytes: body.toString(), contentType: mediaType };
  if (isFormData(body)) return { bytes: formDataAsForm(body), contentType: mediaType };
  if (isBinary(body)) return { bytes: await binary(body, target.signal), contentType: mediaType };
  if (!isFieldObject(body)) throw invalid(FORM_TYPE, body, "pass an object of fields, URLSearchParams or an encoded string");
  return { bytes: encodeForm(body, target.encoding), contentType: mediaType };
};

/** Encodes objects of fields as `application/x-www-form-urlencoded`. */
export const formBodyStage: Stage = { name: "formBody", encoders: { "application/x-www-form-urlencoded": encodeFormBody } };

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
