import { apiKey } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";

// cases/cookie-or-header.yaml: `security: [{ sessionCookie: [] }, { apiKeyHeader: [] }]`: an API
// key in the cookie `notes_session` OR in the header `X-Notes-Key`; the cookie is listed first.
const KEY = "case-notes-key-6b5a4c3d2e1f";
const ctx = useCorpus("cookie-or-header");

describe("API key in a cookie OR a header: header preferred, cookie when bound to it by name", () => {
  test("one apiKey fits both: it goes in the header X-Notes-Key (header before cookie), no Cookie header at all", async () => {
    ctx.recorder.answer({ status: 200, body: [{ id: "n1" }] });
    const notes = ctx.client({ auth: apiKey(KEY) });
    const result = await notes.GET("/notes", { params: { query: { tag: "work" } } });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual([{ id: "n1" }]);
    const [request] = ctx.recorder.requests;
    expect(request!.target).toBe("/notes?tag=work");
    expect(request!.header("cookie")).toEqual([]);
    expectCredentialOnlyAt(request!, [{ header: "x-notes-key", value: KEY }], [KEY]);
  });

  test("bound by name to sessionCookie: Cookie: notes_session=<key>, no X-Notes-Key header", async () => {
    ctx.recorder.answer({ status: 200, body: [] });
    const notes = ctx.client({ auth: { sessionCookie: apiKey(KEY) } });
    expect((await notes.GET("/notes")).error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect(request!.header("x-notes-key")).toEqual([]);
    expect(request!.header("cookie")).toEqual([`notes_session=${KEY}`]);
    expectCredentialOnlyAt(request!, [{ cookie: "notes_session", value: KEY }], [KEY]);
  });

  test("the cookie credential is added to a cookie the call sends, which is kept", async () => {
    ctx.recorder.answer({ status: 200, body: [] });
    const notes = ctx.client({ auth: { sessionCookie: apiKey(KEY) } });
    expect((await notes.GET("/notes", { headers: { cookie: "theme=dark" } })).error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect(request!.header("cookie")).toHaveLength(1);
    const cookies = request!.header("cookie")[0]!.split(";").map((c) => c.trim()).sort();
    expect(cookies).toEqual(["notes_session=" + KEY, "theme=dark"].sort());
    expectCredentialOnlyAt(request!, [{ cookie: "notes_session", value: KEY }], [KEY]);
  });
});
