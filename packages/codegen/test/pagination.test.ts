/**
 * Which list operations codegen recognises for `paginate` (given a spec, want the `pagination` of
 * the descriptor and the line of the generated client), and how `x-portico-pagination` is checked.
 */
import { describe, expect, it } from "vitest";
import { generatedFiles, plainSpecText } from "./support/spec.js";

const str = { type: "string" };
const int = { type: "integer" };
const arrayOf = { type: "array", items: { type: "object", properties: { id: str } } };
const q = (...names: string[]) => names.map((name) => ({ name, in: "query", schema: str }));
const list = (parameters: unknown[], properties: Record<string, unknown> | null, extra: Record<string, unknown> = {}) => ({
  paths: {
    "/things": {
      get: {
        parameters,
        responses: {
          "200": {
            description: "A page.",
            ...extra,
            content: { "application/json": { schema: properties === null ? arrayOf : { type: "object", properties } } },
          },
        },
      },
    },
  },
});

async function paginationOf(fragment: Record<string, unknown>): Promise<{ descriptor: string; client: string }> {
  const files = await generatedFiles(plainSpecText(fragment));
  return { descriptor: files["descriptor.ts"] ?? "", client: files["client.ts"] ?? "" };
}

describe("pagination recognised without an extension", () => {
  const cases: { name: string; given: Record<string, unknown>; want: string | undefined }[] = [
    { name: "cursor + nextCursor/hasMore", given: list(q("cursor", "limit"), { data: arrayOf, nextCursor: str, hasMore: { type: "boolean" } }), want: 'style: "cursor", items: ["data"], param: "cursor", next: ["nextCursor"], hasMore: ["hasMore"]' },
    { name: "page_token + nested next_page_token", given: list(q("page_token"), { items: arrayOf, meta: { type: "object", properties: { next_page_token: str } } }), want: 'style: "cursor", items: ["items"], param: "page_token", next: ["meta", "next_page_token"]' },
    { name: "Stripe has_more + starting_after", given: list(q("starting_after", "limit"), { object: str, data: arrayOf, has_more: { type: "boolean" } }), want: 'style: "cursor", items: ["data"], param: "starting_after", lastItem: ["id"], hasMore: ["has_more"]' },
    { name: "offset + limit with total", given: list(q("offset", "limit"), { results: arrayOf, total: int }), want: 'style: "offset", items: ["results"], param: "offset", limitParam: "limit", total: ["total"]' },
    { name: "page number with total_pages", given: list(q("page"), { records: arrayOf, total_pages: int }), want: 'style: "page", items: ["records"], param: "page", totalPages: ["total_pages"]' },
    { name: "a declared Link header", given: list([], null, { headers: { Link: { schema: str } } }), want: 'style: "link", items: []' },
    { name: "GitHub's per_page + page on a bare array", given: list(q("per_page", "page"), null), want: 'style: "link", items: []' },
    { name: "a search with limit and total but no offset: not a list", given: list(q("name", "limit"), { data: arrayOf, total: int }), want: undefined },
  ];
  for (const { name, given, want } of cases) {
    it(name, async () => {
      const { descriptor, client } = await paginationOf(given);
      if (want === undefined) {
        expect(descriptor).not.toContain("pagination");
        expect(client).not.toContain("paginationStage");
        return;
      }
      expect(descriptor.replace(/\s+/g, " ")).toContain(want);
      expect(client).toContain("paginationStage, // list operations (1) for paginate");
      expect(client).toMatch(/\/\*\* \w[^\n]*\*\/\n {2}readonly "GET \/things": readonly \[/);
    });
  }
});

describe("x-portico-pagination", () => {
  const withExtension = (ext: unknown) => {
    const spec = list(q("from", "size"), { rows: arrayOf, next: str });
    (spec.paths["/things"].get as Record<string, unknown>)["x-portico-pagination"] = ext;
    return spec;
  };

  it("says what is not obvious, and false turns recognition off", async () => {
    const { descriptor } = await paginationOf(withExtension({ style: "offset", items: "rows", param: "from", limitParam: "size" }));
    expect(descriptor.replace(/\s+/g, " ")).toContain('style: "offset", items: ["rows"], param: "from", limitParam: "size"');
    const off = list(q("cursor"), { data: arrayOf, nextCursor: str });
    (off.paths["/things"].get as Record<string, unknown>)["x-portico-pagination"] = false;
    expect((await paginationOf(off)).descriptor).not.toContain("pagination");
  });

  const invalid: [string, unknown, RegExp][] = [
    ["an unknown style", { style: "magic" }, /style must be/],
    ["a param that is not a query parameter", { style: "cursor", items: "rows", param: "cursor", next: "next" }, /not a query parameter/],
    ["items that are not an array", { style: "link", items: "next" }, /not an array property/],
    ["cursor with neither next nor lastItem", { style: "cursor", items: "rows", param: "from" }, /exactly one of "next"/],
    ["a field of another style", { style: "link", items: "rows", param: "from" }, /does not apply to style "link"/],
  ];
  for (const [name, ext, message] of invalid) {
    it(`rejects ${name} (SPEC_INVALID)`, async () => {
      await expect(paginationOf(withExtension(ext))).rejects.toMatchObject({ code: "SPEC_INVALID", message: expect.stringMatching(message) });
    });
  }
});
