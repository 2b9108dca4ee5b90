import { describe, expect, it } from "vitest";
import { generateFromSource, readApiModel } from "../src/index.js";
import { fileOf, plainSpecText } from "./support/spec.js";

const ok = { "200": { description: "OK." } };
const json = (schema: unknown, description = "Error.") => ({ description, content: { "application/json": { schema } } });
const stringEnum = (...values: string[]) => ({ type: "string", enum: values });

/** A spec whose `POST /charges` declares `responses` (plus a 200). */
const withResponses = (responses: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  plainSpecText({ ...extra, paths: { "/charges": { post: { responses: { ...ok, ...responses } } } } });

/** status → codes of the one operation, and which statuses have a body schema. */
function errorsOf(text: string) {
  const errors = readApiModel(text).operations[0]?.errors ?? [];
  return { codes: Object.fromEntries(errors.map((e) => [e.status, e.codes])), withSchema: errors.filter((e) => e.schema !== undefined).map((e) => e.status) };
}

describe("declared error responses (given responses, want status → codes)", () => {
  const cases: { name: string; given: string; want: ReturnType<typeof errorsOf> }[] = [
    {
      name: "a 402 with a code enum",
      given: withResponses({ "402": json({ type: "object", properties: { code: stringEnum("card_declined", "expired_card"), message: { type: "string" } } }) }),
      want: { codes: { "402": ["card_declined", "expired_card"] }, withSchema: ["402"] },
    },
    {
      name: "an error without a code enum: no codes, its schema kept",
      given: withResponses({ "404": json({ type: "object", properties: { message: { type: "string" }, documentation_url: { type: "string" } } }) }),
      want: { codes: { "404": [] }, withSchema: ["404"] },
    },
    {
      name: "a nested error.code enum (Stripe-style bodies)",
      given: withResponses({
        "400": json({ type: "object", properties: { error: { $ref: "#/components/schemas/ApiError" } } }),
      }, { components: { schemas: { ApiError: { type: "object", properties: { code: stringEnum("parameter_missing"), message: { type: "string" } } } } } }),
      want: { codes: { "400": ["parameter_missing"] }, withSchema: ["400"] },
    },
    {
      name: "error_code and errorCode, in that order after code",
      given: withResponses({
        "409": json({ type: "object", properties: { errorCode: stringEnum("B"), error_code: stringEnum("A") } }),
        "422": json({ type: "object", properties: { errorCode: stringEnum("C") } }),
      }),
      want: { codes: { "409": ["A"], "422": ["C"] }, withSchema: ["409", "422"] },
    },
    {
      name: "code without an enum does not hide a later code-like enum",
      given: withResponses({ "409": json({ type: "object", properties: { code: { type: "integer" }, error: { type: "object", properties: { code: stringEnum("X") } } } }) }),
      want: { codes: { "409": ["X"] }, withSchema: ["409"] },
    },
    {
      name: "a code property whose enum sits behind allOf (3.0 style), and a nullable enum",
      given: withResponses({
        "400": json({ type: "object", properties: { code: { allOf: [{ $ref: "#/components/schemas/Code" }], description: "The code." } } }),
        "403": json({ type: "object", properties: { code: { type: ["string", "null"], enum: ["FORBIDDEN", null] } } }),
      }, { components: { schemas: { Code: stringEnum("BAD") } } }),
      want: { codes: { "400": ["BAD"], "403": ["FORBIDDEN"] }, withSchema: ["400", "403"] },
    },
    {
      name: "no JSON body, or no content at all: no codes and no schema",
      given: withResponses({
        "429": { description: "Slow down.", content: { "text/plain": { schema: { type: "string" } } } },
        "503": { description: "Unavailable." },
      }),
      want: { codes: { "429": [], "503": [] }, withSchema: [] },
    },
    {
      name: "ranges and default, sorted after numbers",
      given: withResponses({ default: json({ type: "object" }), "5XX": json({ type: "object" }), "4XX": json({ type: "object" }), "400": json({ type: "object" }) }),
      want: { codes: { "400": [], "4XX": [], "5XX": [], default: [] }, withSchema: ["400", "4XX", "5XX", "default"] },
    },
    {
      name: "success and informational responses are not errors",
      given: withResponses({ "201": json({ type: "object", properties: { code: stringEnum("CREATED") } }), "302": { description: "Moved." } }),
      want: { codes: {}, withSchema: [] },
    },
  ];

  it.each(cases)("$name", ({ given, want }) => {
    expect(errorsOf(given)).toEqual(want);
  });

  it("writes every declared error to the table and a schema for every JSON error body", async () => {
    const module = await generateFromSource(
      withResponses({
        "402": json({ type: "object", required: ["code"], properties: { code: stringEnum("card_declined") } }),
        "404": json({ type: "object", properties: { message: { type: "string" } } }),
        "503": { description: "Unavailable." },
      }),
    );
    const descriptor = fileOf(module, "descriptor.ts");
    expect(descriptor).toContain('"POST /charges": { errors: { "402": c0, "404": [], "503": [] } }');
    const errors = fileOf(module, "errors.ts");
    expect(errors).toContain('export const c0 = ["card_declined"] as const;');
    expect(errors).toContain('"POST /charges": { "402": z.looseObject({ code: z.enum(c0) }), "404": z.looseObject({ message: z.optional(z.string()) }) },');
    expect(errors).not.toContain('"503"');
  });

  it("leaves zod out of errors.ts when no error has a JSON body (nothing unused for noUnusedLocals)", async () => {
    const errors = fileOf(await generateFromSource(withResponses({ "503": { description: "Unavailable." } })), "errors.ts");
    expect(errors).not.toContain("zod");
    expect(errors).toContain("export const errorSchemas = {};");
  });

  it("keeps error schemas of deep bodies small: values below three levels are not checked", async () => {
    const deep = { type: "object", properties: { a: { type: "object", properties: { b: { type: "object", properties: { c: { type: "object", properties: { d: { type: "string" } } } } } } } } };
    const errors = fileOf(await generateFromSource(withResponses({ "400": json(deep) })), "errors.ts");
    expect(errors).toContain('"400": z.looseObject({ a: z.optional(z.looseObject({ b: z.optional(z.looseObject({ c: z.optional(z.looseObject({})) })) })) }),');
  });
});

describe("metered operations (x-portico-credits, or credit headers on a response)", () => {
  const metered = (operation: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    readApiModel(plainSpecText({ ...extra, paths: { "/search": { get: { responses: ok, ...operation } } } })).operations[0]?.metered;

  it.each([
    { name: "x-portico-credits", operation: { "x-portico-credits": 2 }, want: true },
    { name: "X-Credits-Remaining on a success response", operation: { responses: { "200": { description: "OK.", headers: { "X-Credits-Remaining": { schema: { type: "integer" } } } } } }, want: true },
    { name: "x-credits-cost (any case) on an error response", operation: { responses: { ...ok, "402": { description: "No credits.", headers: { "x-credits-cost": { schema: { type: "integer" } } } } } }, want: true },
    { name: "a credit header on a $ref'd response", operation: { responses: { "200": { $ref: "#/components/responses/Credited" } } }, want: true },
    { name: "other headers only", operation: { responses: { "200": { description: "OK.", headers: { "X-RateLimit-Remaining": { schema: { type: "integer" } } } } } }, want: false },
    { name: "nothing", operation: {}, want: false },
  ])("$name → $want", ({ operation, want }) => {
    const components = { components: { responses: { Credited: { description: "OK.", headers: { "X-Credits-Cost": { $ref: "#/components/headers/Cost" } } } }, headers: { Cost: { schema: { type: "integer" } } } } };
    expect(metered(operation, components)).toBe(want);
  });

  it("writes metered: true next to credits", async () => {
    const descriptor = fileOf(await generateFromSource(plainSpecText({ paths: { "/search": { get: { "x-portico-credits": 1, responses: ok } } } })), "descriptor.ts");
    expect(descriptor).toContain('"GET /search": { credits: 1, metered: true }');
  });
});
