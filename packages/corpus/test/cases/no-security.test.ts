import { apiKey, bearerToken } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectNoCredential, mediaType } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";

// cases/no-security.yaml: no `security` anywhere and no security schemes (as GitHub's spec), yet
// the API takes a token; `GET /meta` is marked public with `security: []`.
const TOKEN = "gho_caseNoSecurityToken0123456789";
const KEY = "case-no-security-api-key-4f3e2d";
const ctx = useCorpus("no-security");

describe("no security declared: the user's credential applies to every operation; security: [] sends nothing", () => {
  test("bearerToken: Authorization: Bearer on GET /gists and POST /gists, nowhere else; the JSON body as given", async () => {
    ctx.recorder.answer((request) =>
      request.method === "GET" ? { status: 200, body: [{ id: "g1", description: "first" }] } : { status: 201, body: { id: "g2", description: "second" } },
    );
    const gists = ctx.client({ auth: bearerToken(TOKEN) });

    const listed = await gists.GET("/gists");
    expect(listed.error).toBeUndefined();
    expect(listed.data).toEqual([{ id: "g1", description: "first" }]);
    const created = await gists.POST("/gists", { body: { description: "second", public: false } });
    expect(created.error).toBeUndefined();
    expect(created.data).toEqual({ id: "g2", description: "second" });

    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.target}`)).toEqual(["GET /gists", "POST /gists"]);
    for (const request of ctx.recorder.requests) {
      expectCredentialOnlyAt(request, [{ header: "authorization", value: `Bearer ${TOKEN}` }], [TOKEN]);
    }
    const post = ctx.recorder.requests[1]!;
    expect(mediaType(post)).toBe("application/json");
    expect(post.text()).toBe(JSON.stringify({ description: "second", public: false }));
  });

  test("GET /meta (security: []) carries no credential at all, on the same client", async () => {
    ctx.recorder.answer({ status: 200, body: { version: "1.2.3" } });
    const gists = ctx.client({ auth: bearerToken(TOKEN) });
    const meta = await gists.GET("/meta");
    expect(meta.error).toBeUndefined();
    expect(meta.data).toEqual({ version: "1.2.3" });
    expect(ctx.recorder.requests).toHaveLength(1);
    expectNoCredential(ctx.recorder.requests[0]!, [TOKEN]);
  });

  test("apiKey with no scheme to follow: its own placement (X-Api-Key by default) on every declared-nothing operation, none on /meta", async () => {
    ctx.recorder.answer((request) => (request.path === "/meta" ? { status: 200, body: { version: "1.2.3" } } : { status: 200, body: [] }));
    const gists = ctx.client({ auth: apiKey(KEY) });
    expect((await gists.GET("/gists")).error).toBeUndefined();
    expect((await gists.GET("/meta")).error).toBeUndefined();
    const [listed, meta] = ctx.recorder.requests;
    expectCredentialOnlyAt(listed!, [{ header: "x-api-key", value: KEY }], [KEY]);
    expectNoCredential(meta!, [KEY]);
  });
});
