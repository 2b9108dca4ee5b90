/**
 * `paginate` of `paginationStage` for the styles the seed specs do not use (offset, page number,
 * Stripe's `starting_after`) and its guards, through `createClient` with a hand-written
 * descriptor and `allStages`, against a loopback server.
 */
import type { ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { isPorticoError, type ApiDescriptor, type PaginationDescriptor, type PorticoError } from "../../src/index.js";
import { parseLinkHeader, linkTarget } from "../../src/internal/link-header.js";
import { clientFor } from "../support/apis.js";
import { useLoopbacks } from "../support/loopback.js";

const loopbacks = useLoopbacks();
const ROWS = Array.from({ length: 23 }, (_, i) => ({ id: `row_${i}` }));

function api(pagination: PaginationDescriptor): ApiDescriptor {
  return { name: "rows", servers: [], securitySchemes: {}, operations: { "GET /rows": { pagination } } };
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

type Paging = { paginate(key: string, init?: Record<string, unknown>): AsyncIterable<{ id: string }> };

async function all(client: unknown, init?: Record<string, unknown>): Promise<string[]> {
  const out: string[] = [];
  for await (const row of (client as Paging).paginate("GET /rows", init)) out.push(row.id);
  return out;
}

async function failureOf(run: () => Promise<unknown>): Promise<PorticoError<string>> {
  try {
    await run();
  } catch (error) {
    if (isPorticoError(error)) return error;
    throw error;
  }
  throw new Error("did not fail");
}

describe("paginationStage styles", () => {
  it("offset: advances by the items received, up to total", async () => {
    const server = await loopbacks.server((req, res) => {
      const q = new URL(req.url ?? "/", "http://x").searchParams;
      const offset = Number(q.get("offset") ?? 0);
      json(res, { results: ROWS.slice(offset, offset + Number(q.get("limit"))), meta: { total: ROWS.length } });
    });
    const client = clientFor(api({ style: "offset", items: ["results"], param: "offset", limitParam: "limit", total: ["meta", "total"] }), { baseUrl: server.url });
    expect(await all(client, { params: { query: { limit: 10 } } })).toEqual(ROWS.map((r) => r.id));
    expect(server.requests.map((r) => r.url)).toEqual(["/rows?limit=10", "/rows?limit=10&offset=10", "/rows?limit=10&offset=20"]);
  });

  it("page: counts pages from 1 up to total_pages", async () => {
    const server = await loopbacks.server((req, res) => {
      const page = Number(new URL(req.url ?? "/", "http://x").searchParams.get("page") ?? 1);
      json(res, { items: ROWS.slice((page - 1) * 10, page * 10), total_pages: 3 });
    });
    const client = clientFor(api({ style: "page", items: ["items"], param: "page", totalPages: ["total_pages"] }), { baseUrl: server.url });
    expect(await all(client)).toEqual(ROWS.map((r) => r.id));
    expect(server.requests.map((r) => r.url)).toEqual(["/rows", "/rows?page=2", "/rows?page=3"]);
  });

  it("cursor from the last item (Stripe starting_after), while has_more", async () => {
    const server = await loopbacks.server((req, res) => {
      const after = new URL(req.url ?? "/", "http://x").searchParams.get("starting_after");
      const start = after === null ? 0 : ROWS.findIndex((r) => r.id === after) + 1;
      json(res, { object: "list", data: ROWS.slice(start, start + 10), has_more: start + 10 < ROWS.length });
    });
    const client = clientFor(api({ style: "cursor", items: ["data"], param: "starting_after", lastItem: ["id"], hasMore: ["has_more"] }), { baseUrl: server.url });
    expect(await all(client)).toEqual(ROWS.map((r) => r.id));
    expect(server.requests.map((r) => r.url)).toEqual(["/rows", "/rows?starting_after=row_9", "/rows?starting_after=row_19"]);
  });

  it("a cursor the API already gave ends the iteration (UNEXPECTED_RESPONSE) instead of looping", async () => {
    const server = await loopbacks.server((_req, res) => json(res, { data: [{ id: "a" }], next: "same" }));
    const client = clientFor(api({ style: "cursor", items: ["data"], param: "cursor", next: ["next"] }), { baseUrl: server.url });
    const error = await failureOf(() => all(client));
    expect(error.code).toBe("UNEXPECTED_RESPONSE");
    expect(server.requests).toHaveLength(2);
  });

  it("items that are not a list: UNEXPECTED_RESPONSE with the progress", async () => {
    const server = await loopbacks.server((_req, res) => json(res, { data: "nope" }));
    const client = clientFor(api({ style: "cursor", items: ["data"], param: "cursor", next: ["next"] }), { baseUrl: server.url });
    const error = await failureOf(() => all(client));
    expect(error.code).toBe("UNEXPECTED_RESPONSE");
    expect(error.details["pagination"]).toEqual({ operation: "GET /rows", pages: 0, items: 0 });
  });

  it("an operation without pagination, or a bad maxItems: INVALID_REQUEST from the iteration, nothing sent", async () => {
    const server = await loopbacks.server((_req, res) => json(res, {}));
    const client = clientFor({ name: "rows", servers: [], securitySchemes: {}, operations: { "GET /rows": {} } }, { baseUrl: server.url });
    expect((await failureOf(() => all(client))).code).toBe("INVALID_REQUEST");
    const paged = clientFor(api({ style: "link", items: [] }), { baseUrl: server.url });
    expect((await failureOf(() => all(paged, { maxItems: 0 }))).code).toBe("INVALID_REQUEST");
    expect(server.requests).toHaveLength(0);
  });
});

describe("RFC 8288 Link header parsing", () => {
  it("reads targets and rel lists, with commas and semicolons inside <…> and quoted strings", () => {
    const field = '<https://a.example/x?a=1,2;b>; rel="next last"; title="a, b; c", <https://a.example/y>;rel=prev, <https://a.example/z>; title="q\\"x"; REL=First';
    expect(parseLinkHeader(field)).toEqual([
      { target: "https://a.example/x?a=1,2;b", rel: ["next", "last"], params: { rel: "next last", title: "a, b; c" } },
      { target: "https://a.example/y", rel: ["prev"], params: { rel: "prev" } },
      { target: "https://a.example/z", rel: ["first"], params: { title: 'q"x', rel: "First" } },
    ]);
    expect(linkTarget(field, "NEXT")).toBe("https://a.example/x?a=1,2;b");
    expect(linkTarget('</items?page=2>; rel="next"', "next", "https://api.example/v1/items")).toBe("https://api.example/items?page=2");
  });

  it("skips malformed members and keeps the rest; nothing for empty fields", () => {
    expect(parseLinkHeader('garbage; rel=next, <https://a.example/ok>; rel="next"').map((l) => l.target)).toEqual(["https://a.example/ok"]);
    expect(parseLinkHeader('<https://a.example/bad>; rel="unterminated, <https://a.example/x>; rel=next')).toEqual([]);
    expect(parseLinkHeader("")).toEqual([]);
    expect(parseLinkHeader(null)).toEqual([]);
    expect(linkTarget('<https://a.example/p>; rel="prev"', "next")).toBeUndefined();
  });
});
