/**
 * Property: a random JSON-ish object sent to an operation whose spec declares
 * `application/x-www-form-urlencoded` (with random OpenAPI `encoding` styles per property),
 * `multipart/form-data` (with random part content types) or JSON reaches the server as the same
 * values: the server (an in-process fetcher reading `init.body`) decodes them back, knowing only
 * the schema (the shape of the value) and the encoding, as an OpenAPI server would. A retry
 * resends the identical bytes, content type (boundary included) and Idempotency-Key.
 *
 * Where an encoding cannot carry a value (a nested object in a non-exploded form field), the call
 * must end in `INVALID_REQUEST` with nothing sent. Values are generated so the encodings are not
 * ambiguous by construction (no delimiters inside non-exploded values, no brackets in keys):
 * those ambiguities are OpenAPI's, not the client's.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allStages, createClient, type ApiDescriptor, type Fetcher, type PropertyEncoding } from "../../src/index.js";
import { Tally, checkProperty, fuzzTimeout } from "./support/fuzz.js";

const API = "https://api.fuzz.test";
const FORM = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";

type Scalar = string | number | boolean | null | Date;
type Value = Scalar | Uint8Array | Blob | readonly Value[] | { readonly [key: string]: Value | undefined };

const isObject = (v: unknown): v is Record<string, Value | undefined> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array) && !(v instanceof Blob);

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** Keys: no brackets (deepObject's syntax), no `%`, quotes or line breaks (multipart names). */
const key = fc
  .string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzé_-.~ 0123456789ß"), minLength: 1, maxLength: 6 })
  .filter((k) => k !== "__proto__" && k !== "constructor");
/** Well-formed Unicode text (a lone surrogate is not text; fetch replaces it). */
const text = fc.string({ unit: "grapheme", maxLength: 12 });
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const date = fc.date({ noInvalidDate: true, min: new Date(-8.64e15), max: new Date(8.64e15) });
const scalar: fc.Arbitrary<Scalar> = fc.oneof(text, number, fc.boolean(), fc.constant(null), date);
/** Scalars that never contain a form delimiter (`,`, ` `, `|`) and are never empty. */
const plainScalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."abcXYZ019éß_-.~*:/?+=&#"), minLength: 1, maxLength: 10 }),
  number,
  fc.boolean(),
  date,
);

const { nested } = fc.letrec((tie) => ({
  nested: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie("nested"), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(key, tie("nested"), { maxKeys: 3 }) },
  ) as fc.Arbitrary<Value>,
}));

const STYLES = ["form", "deepObject", "spaceDelimited", "pipeDelimited"] as const;
const encodingOf = fc.record({ style: fc.constantFrom(...STYLES), explode: fc.boolean() }, { requiredKeys: [] });

const isNested = (v: unknown): boolean => isObject(v) || Array.isArray(v);

/** One form field: its value, shaped so its encoding can carry it unambiguously (or so it cannot at all). */
const formField: fc.Arbitrary<{ value: Value | undefined; encoding: PropertyEncoding | undefined }> = fc
  .option(encodingOf, { freq: 3 })
  .chain((enc) => {
    const encoding = enc ?? undefined;
    const arrayStyle = encoding?.style ?? "form";
    // Arrays are joined with a delimiter unless exploded (form's default) or deepObject.
    const delimitedArray = arrayStyle !== "deepObject" && !(encoding?.explode ?? arrayStyle === "form");
    // Objects are deepObject by default; other styles join `key,value` pairs unless form-exploded.
    const delimitedObject = encoding?.style !== undefined && encoding.style !== "deepObject" && !(encoding.style === "form" && (encoding.explode ?? true));
    const array =
      arrayStyle === "deepObject"
        ? fc.array(nested, { maxLength: 3 })
        : delimitedArray
          ? fc.oneof(fc.array(plainScalar, { maxLength: 4 }), fc.array(nested, { minLength: 1, maxLength: 3 }).filter((a) => a.some(isNested)))
          : fc.oneof(fc.array(scalar, { maxLength: 4 }), fc.array(nested, { maxLength: 3 }));
    const object = delimitedObject
      ? fc.oneof(
          { weight: 4, arbitrary: fc.dictionary(key.filter((k) => !/[ ,|]/.test(k)), plainScalar, { maxKeys: 3 }) },
          // A nested value a delimited field cannot carry: refused.
          { weight: 1, arbitrary: fc.dictionary(key, nested, { minKeys: 1, maxKeys: 3 }).filter((o) => Object.values(o).some(isNested)) },
        )
      : fc.dictionary(key, nested, { maxKeys: 3 });
    return fc.record({ value: fc.oneof(scalar, array, object, fc.constant(undefined)) as fc.Arbitrary<Value | undefined>, encoding: fc.constant(encoding) });
  });

const formCase = fc.dictionary(key, formField, { maxKeys: 5 });

// ---------------------------------------------------------------------------------------------
// The server's side: decoding by the schema (the value's shape) and the encoding
// ---------------------------------------------------------------------------------------------

/** A scalar as a form or multipart field carries it. */
function scalarText(v: Scalar): string {
  if (v === null) return "";
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** What the server should decode: scalars as text, `undefined` members dropped. */
function normalize(v: Value | undefined): unknown {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map((item) => normalize(item as Value));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).filter(([, inner]) => inner !== undefined).map(([k, inner]) => [k, normalize(inner)]));
  return scalarText(v as Scalar);
}

class Params {
  private readonly pairs: Array<[string, string]>;
  private readonly used = new Set<number>();
  constructor(body: string) {
    this.pairs = [...new URLSearchParams(body)];
  }
  /** Every value of `name`, marked read. */
  all(name: string): string[] {
    const out: string[] = [];
    this.pairs.forEach(([n, v], i) => {
      if (n === name) {
        out.push(v);
        this.used.add(i);
      }
    });
    return out;
  }
  one(name: string): string {
    const values = this.all(name);
    if (values.length !== 1) throw new Error(`expected one value of ${JSON.stringify(name)}, got ${JSON.stringify(values)}`);
    return values[0] as string;
  }
  unread(): Array<[string, string]> {
    return this.pairs.filter((_, i) => !this.used.has(i));
  }
}

/** `deepObject` (and nested arrays as `name[0]`), read back by the value's shape. */
function readDeep(params: Params, name: string, shape: Value | undefined): unknown {
  if (shape === undefined) return undefined;
  if (Array.isArray(shape)) return shape.map((item, i) => readDeep(params, `${name}[${i}]`, item as Value));
  if (isObject(shape)) return Object.fromEntries(Object.entries(shape).filter(([, v]) => v !== undefined).map(([k, v]) => [k, readDeep(params, `${name}[${k}]`, v)]));
  return params.one(name);
}

const delimiterOf = (style: PropertyEncoding["style"]): string => (style === "spaceDelimited" ? " " : style === "pipeDelimited" ? "|" : ",");

/** A form field read back as an OpenAPI server reads it. */
function readField(params: Params, name: string, shape: Value | undefined, encoding: PropertyEncoding | undefined): unknown {
  if (shape === undefined) return undefined;
  if (Array.isArray(shape)) {
    const style = encoding?.style ?? "form";
    const explode = encoding?.explode ?? style === "form";
    if (style === "deepObject" || shape.some((item) => isObject(item) || Array.isArray(item))) return readDeep(params, name, shape);
    if (explode) return params.all(name);
    const joined = params.one(name);
    return joined === "" ? [] : joined.split(delimiterOf(style));
  }
  if (isObject(shape)) {
    const style = encoding?.style ?? "deepObject";
    if (style === "deepObject") return readDeep(params, name, shape);
    const explode = encoding?.explode ?? style === "form";
    const members = Object.entries(shape).filter(([, v]) => v !== undefined);
    if (style === "form" && explode) return Object.fromEntries(members.map(([k, v]) => [k, readDeep(params, k, v)]));
    const joined = params.one(name);
    const parts = joined === "" ? [] : joined.split(delimiterOf(style));
    const out: Record<string, string> = {};
    for (let i = 0; i < parts.length; i += 2) out[parts[i] as string] = parts[i + 1] as string;
    return out;
  }
  return params.one(name);
}

/** Whether a form field's encoding cannot carry its value: a nested value in a delimited object. */
function refuses(value: Value | undefined, encoding: PropertyEncoding | undefined): boolean {
  if (!isObject(value) || encoding?.style === undefined || encoding.style === "deepObject") return false;
  if (encoding.style === "form" && (encoding.explode ?? true)) return false;
  return Object.values(value).some(isNested);
}

/** Top-level names a form body of `fields` uses (form-exploded objects spread their keys). */
function topNames(fields: Record<string, { value: Value | undefined; encoding: PropertyEncoding | undefined }>): string[] {
  return Object.entries(fields).flatMap(([name, { value, encoding }]) =>
    isObject(value) && encoding?.style === "form" && (encoding.explode ?? true) ? Object.keys(value) : [name],
  );
}

// ---------------------------------------------------------------------------------------------
// Multipart
// ---------------------------------------------------------------------------------------------

const blobType = fc.constantFrom("", "image/png", "application/pdf", "text/plain");
const partContentType = fc.option(fc.constantFrom("image/png", "application/xml", "text/csv", "image/*", "image/png, image/jpeg"), { freq: 2 });
const bytes = fc.uint8Array({ maxLength: 48 });
/** The bytes each generated Blob holds (a Blob reads them back only asynchronously). */
const blobBytes = new WeakMap<Blob, number[]>();
const filePart = fc.oneof(
  bytes,
  fc.tuple(bytes, blobType).map(([b, type]) => {
    const blob = new Blob([b as Uint8Array<ArrayBuffer>], { type });
    blobBytes.set(blob, [...b]);
    return blob;
  }),
);
const multipartItem: fc.Arbitrary<Value> = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 1, arbitrary: filePart }, { weight: 1, arbitrary: fc.dictionary(key, nested, { maxKeys: 3 }) });
const multipartField = fc.record({
  value: fc.oneof({ weight: 4, arbitrary: multipartItem }, { weight: 1, arbitrary: fc.array(fc.oneof(multipartItem, fc.array(nested, { maxLength: 2 })), { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant(undefined) }),
  contentType: partContentType.map((t) => t ?? undefined),
});
const multipartCase = fc.dictionary(key, multipartField, { maxKeys: 5 });

/** A single concrete media type, or undefined for a wildcard or a list (the client ignores those). */
const concrete = (type: string | undefined): string | undefined => (type !== undefined && !type.includes("*") && !type.includes(",") ? type : undefined);

/** The parts a multipart body of `fields` should hold, in order: a string, or a file's type and bytes/JSON. */
type ExpectedPart = readonly [name: string, value: string | { readonly type: string; readonly bytes?: number[]; readonly json?: unknown }];

function expectedParts(fields: Record<string, { value: Value | undefined; contentType: string | undefined }>): ExpectedPart[] {
  const out: ExpectedPart[] = [];
  for (const [name, { value, contentType }] of Object.entries(fields)) {
    const items = Array.isArray(value) ? (value as Value[]) : [value];
    for (const item of items) {
      if (item === undefined) continue;
      const declared = concrete(contentType);
      if (item instanceof Uint8Array) out.push([name, { type: declared ?? "application/octet-stream", bytes: [...item] }]);
      else if (item instanceof Blob) out.push([name, { type: item.type !== "" ? item.type : (declared ?? "application/octet-stream"), ...(blobBytes.has(item) ? { bytes: blobBytes.get(item) } : {}) }]);
      else if (isObject(item) || Array.isArray(item)) out.push([name, { type: declared ?? "application/json", json: JSON.parse(JSON.stringify(item)) as unknown }]);
      // Multipart carries line breaks as CRLF (HTML's form encoding algorithm).
      else out.push([name, scalarText(item as Scalar).replace(/\r\n|\r|\n/g, "\r\n")]);
    }
  }
  return out;
}

async function decodedParts(body: Uint8Array, contentType: string): Promise<ExpectedPart[]> {
  const form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { "content-type": contentType } }).formData();
  const out: ExpectedPart[] = [];
  for (const [name, value] of form) {
    if (typeof value === "string") out.push([name, value]);
    else out.push([name, { type: value.type, bytes: [...new Uint8Array(await value.arrayBuffer())] }]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The client's side
// ---------------------------------------------------------------------------------------------

interface Sent {
  readonly body: string | Uint8Array | undefined;
  readonly contentType: string | undefined;
  readonly idempotencyKey: string | undefined;
}

/**
 * Sends `body` to an operation declaring `mediaType` (and `encoding`); the first attempt gets a
 * 503, the retry a 200. Returns what each attempt carried, and the call's result.
 */
async function send(mediaType: string | undefined, encoding: Record<string, PropertyEncoding> | undefined, body: unknown) {
  const descriptor: ApiDescriptor = {
    name: "fuzz-bodies",
    servers: [{ url: API, environment: "production" }],
    securitySchemes: {},
    operations: { "POST /things": { idempotent: true, ...(mediaType !== undefined ? { body: { mediaType, ...(encoding !== undefined ? { encoding } : {}) } } : {}) } },
  };
  const sent: Sent[] = [];
  const fetcher: Fetcher = async (_url, init) => {
    sent.push({ body: init.body, contentType: init.headers["content-type"], idempotencyKey: init.headers["idempotency-key"] });
    return sent.length === 1 ? new Response(null, { status: 503 }) : new Response('{"ok":true}', { status: 200, headers: { "content-type": "application/json" } });
  };
  // Every case answers 503 then 200 on one origin: half the attempts fail, which the origin's retry
  // budget would rightly stop retrying. The property is about the bytes a retry resends, so it is off.
  const client = createClient(descriptor, { baseUrl: API, fetcher, retry: { maxRetries: 1, baseDelayMs: 0, maxDelayMs: 0 }, retryBudget: false }, allStages) as unknown as {
    POST(path: string, init: object): Promise<{ data?: unknown; error?: { code: string; message: string } }>;
  };
  let result;
  try {
    result = await client.POST("/things", { body });
  } catch (thrown) {
    throw new Error(`the call threw: ${inspect(thrown)}`);
  }
  return { sent, result };
}

/** Both attempts carried the same bytes, content type and key. */
function sameBytes(sent: readonly Sent[]): void {
  expect(sent).toHaveLength(2);
  const [first, second] = sent as [Sent, Sent];
  expect(second.contentType).toBe(first.contentType);
  expect(second.idempotencyKey).toBe(first.idempotencyKey);
  expect(first.idempotencyKey).toBeTruthy();
  const asBytes = (b: Sent["body"]): number[] => (b === undefined ? [] : [...(typeof b === "string" ? new TextEncoder().encode(b) : b)]);
  expect(asBytes(second.body)).toEqual(asBytes(first.body));
}

const bodyText = (b: Sent["body"]): string => (b === undefined ? "" : typeof b === "string" ? b : new TextDecoder().decode(b));

describe("request bodies (property)", () => {
  it(
    "application/x-www-form-urlencoded, any encoding styles: the server decodes the same values; a retry resends the same bytes",
    async () => {
      const tally = new Tally();
      await checkProperty(
        "bodies: form",
        fc.asyncProperty(formCase.filter((fields) => new Set(topNames(fields)).size === topNames(fields).length), async (fields) => {
          const body = Object.fromEntries(Object.entries(fields).map(([name, { value }]) => [name, value]));
          const encoding = Object.fromEntries(Object.entries(fields).flatMap(([name, { encoding: e }]) => (e === undefined ? [] : [[name, e]])));
          const { sent, result } = await send(FORM, encoding, body);
          // What an OpenAPI server would make of it, field by field (refusals first: nothing may be sent then).
          const refuse = Object.values(fields).some(({ value, encoding: e }) => refuses(value, e));
          if (refuse) {
            expect(result.error?.code, "a value the encoding cannot carry").toBe("INVALID_REQUEST");
            expect(sent).toEqual([]);
            tally.add("INVALID_REQUEST");
            return;
          }
          expect(result.error, result.error?.message).toBeUndefined();
          sameBytes(sent);
          expect(sent[0]?.contentType).toBe(FORM);
          const params = new Params(bodyText(sent[0]?.body));
          for (const [name, { value, encoding: e }] of Object.entries(fields)) {
            expect(readField(params, name, value, e), `field ${JSON.stringify(name)} (${JSON.stringify(e ?? {})}) of ${bodyText(sent[0]?.body)}`).toEqual(normalize(value));
          }
          expect(params.unread(), "pairs no field accounts for").toEqual([]);
          tally.add("decoded");
        }),
        undefined,
        tally,
      );
    },
    fuzzTimeout(5),
  );

  it(
    "multipart/form-data, any part content types: the server decodes the same parts; a retry resends the same bytes and boundary",
    async () => {
      const tally = new Tally();
      await checkProperty(
        "bodies: multipart",
        fc.asyncProperty(multipartCase, async (fields) => {
          const body = Object.fromEntries(Object.entries(fields).map(([name, { value }]) => [name, value]));
          const encoding = Object.fromEntries(Object.entries(fields).flatMap(([name, { contentType }]) => (contentType === undefined ? [] : [[name, { contentType }]])));
          const { sent, result } = await send(MULTIPART, encoding, body);
          expect(result.error, result.error?.message).toBeUndefined();
          sameBytes(sent);
          const contentType = sent[0]?.contentType ?? "";
          expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
          const got = await decodedParts(sent[0]?.body instanceof Uint8Array ? sent[0].body : new TextEncoder().encode(bodyText(sent[0]?.body)), contentType);
          const want = expectedParts(fields);
          expect(got.map(([name]) => name)).toEqual(want.map(([name]) => name));
          for (const [i, [name, part]] of want.entries()) {
            const actual = got[i]?.[1];
            if (typeof part === "string") expect(actual, `part ${name}`).toBe(part);
            else {
              const file = actual as { type: string; bytes: number[] };
              expect(file.type, `type of part ${name}`).toBe(part.type);
              if (part.bytes !== undefined) expect(file.bytes, `bytes of part ${name}`).toEqual(part.bytes);
              if (part.json !== undefined) expect(JSON.parse(new TextDecoder().decode(new Uint8Array(file.bytes)))).toEqual(part.json);
            }
          }
          tally.add(want.length === 0 ? "empty" : "decoded");
        }),
        undefined,
        tally,
      );
    },
    fuzzTimeout(5),
  );

  it(
    "JSON: the server parses the same value; a retry resends the same bytes",
    async () => {
      await checkProperty(
        "bodies: JSON",
        fc.asyncProperty(fc.jsonValue(), async (value) => {
          const { sent, result } = await send(undefined, undefined, value);
          expect(result.error, result.error?.message).toBeUndefined();
          sameBytes(sent);
          expect(JSON.parse(bodyText(sent[0]?.body))).toEqual(JSON.parse(JSON.stringify(value)));
        }),
      );
    },
    fuzzTimeout(5),
  );
});
