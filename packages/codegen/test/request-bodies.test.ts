import { describe, expect, it } from "vitest";
import { generateFromSource, readApiModel } from "../src/index.js";
import { fileOf, plainSpecText } from "./support/spec.js";

const ok = { "200": { description: "OK." } };
const object = { type: "object", properties: { name: { type: "string" } } };

/** A spec whose `POST /things` takes `content`. */
const withBody = (content: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  plainSpecText({ ...extra, paths: { "/things": { post: { requestBody: { content }, responses: ok } } } });

const bodyOf = (text: string) => readApiModel(text).operations[0]?.body;

describe("request bodies by media type (given the declared content, want the body descriptor)", () => {
  const cases: { name: string; given: string; want: unknown }[] = [
    { name: "JSON: no body descriptor (JSON is the default)", given: withBody({ "application/json": { schema: object } }), want: undefined },
    {
      name: "JSON wins over a form declared first",
      given: withBody({ "application/x-www-form-urlencoded": { schema: object }, "application/json": { schema: object } }),
      want: undefined,
    },
    { name: "a +json type is JSON", given: withBody({ "application/merge-patch+json": { schema: object } }), want: undefined },
    {
      name: "a nested form body with its encoding (Stripe's deepObject)",
      given: withBody({
        "application/x-www-form-urlencoded": {
          schema: { type: "object", properties: { address: { type: "object", properties: { line1: { type: "string" } } }, expand: { type: "array", items: { type: "string" } } } },
          encoding: { address: { style: "deepObject", explode: true }, expand: { style: "deepObject", explode: true }, note: { allowReserved: true } },
        },
      }),
      want: {
        mediaType: "application/x-www-form-urlencoded",
        encoding: { address: { style: "deepObject", explode: true }, expand: { style: "deepObject", explode: true } },
      },
    },
    {
      name: "the form wins over multipart, multipart over octet-stream",
      given: withBody({ "multipart/form-data": { schema: object }, "application/x-www-form-urlencoded": { schema: object } }),
      want: { mediaType: "application/x-www-form-urlencoded" },
    },
    {
      name: "a multipart upload with a part's content type",
      given: withBody({
        "application/octet-stream": { schema: { type: "string", format: "binary" } },
        "multipart/form-data": {
          schema: { type: "object", properties: { file: { type: "string", format: "binary" }, purpose: { type: "string" } } },
          encoding: { file: { contentType: "image/png, image/jpeg" } },
        },
      }),
      want: { mediaType: "multipart/form-data", encoding: { file: { contentType: "image/png, image/jpeg" } } },
    },
    {
      name: "octet-stream over text/plain",
      given: withBody({ "text/plain": { schema: { type: "string" } }, "application/octet-stream": { schema: { type: "string", format: "binary" } } }),
      want: { mediaType: "application/octet-stream" },
    },
    { name: "text/plain with parameters, as declared", given: withBody({ "text/plain; charset=utf-8": { schema: { type: "string" } } }), want: { mediaType: "text/plain; charset=utf-8" } },
    {
      name: "anything else: the first declared",
      given: withBody({ "application/xml": { schema: object }, "application/x-yaml": { schema: object } }),
      want: { mediaType: "application/xml" },
    },
    {
      name: "a $ref to components.requestBodies",
      given: plainSpecText({
        components: { requestBodies: { Upload: { content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } } } },
        paths: { "/things": { post: { requestBody: { $ref: "#/components/requestBodies/Upload" }, responses: ok } } },
      }),
      want: { mediaType: "application/octet-stream" },
    },
  ];

  it.each(cases)("$name", ({ given, want }) => {
    expect(bodyOf(given)).toEqual(want);
  });

  it("writes the body descriptor only for non-JSON bodies", async () => {
    const form = fileOf(await generateFromSource(cases[3]?.given ?? ""), "descriptor.ts");
    expect(form).toMatch(/"POST \/things": \{ body: \{ mediaType: "application\/x-www-form-urlencoded", encoding: \{ address: t0, expand: t0 \} \} \}/);
    expect(form).toContain('const t0 = { style: "deepObject", explode: true } as const;');
    const json = fileOf(await generateFromSource(cases[0]?.given ?? ""), "descriptor.ts");
    expect(json).toContain('"POST /things": {}');
  });
});
