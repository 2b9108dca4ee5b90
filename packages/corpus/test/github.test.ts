import { bearerToken } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectDeclaredError, mediaType } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// GitHub REST (npm @octokit/openapi, generated/api.github.com.json, 13 MB): the spec declares no
// security at all although every call takes a token, so the credential the user gives applies to
// every operation; JSON bodies; errors are `basic-error` `{ message, documentation_url }` (no code enum).
const TOKEN = "ghp_corpusGitHubToken0123456789abcdefABCD";
const ctx = useCorpus("github");
const github = () => ctx.client({ auth: bearerToken(TOKEN) });

describe("GitHub: no security declared, the given token applies everywhere; JSON bodies; basic-error 404", () => {
  test("GET /repos/{owner}/{repo}: Authorization: Bearer <token> only", async () => {
    ctx.recorder.answer({ status: 200, body: { id: 1296269, name: "Hello-World", full_name: "octocat/Hello-World" } });
    const result = await github().GET("/repos/{owner}/{repo}", { params: { path: { owner: "octocat", repo: "Hello-World" } } });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ id: 1296269, name: "Hello-World", full_name: "octocat/Hello-World" });
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["GET", "/repos/octocat/Hello-World"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${TOKEN}` }], [TOKEN]);
  });

  test("POST /repos/{owner}/{repo}/issues: the token, and the JSON body as given", async () => {
    ctx.recorder.answer({ status: 201, body: { id: 1, number: 1347, title: "Found a bug" } });
    const body = { title: "Found a bug", body: "I'm having a problem with this.", labels: ["bug"] };
    const result = await github().POST("/repos/{owner}/{repo}/issues", { params: { path: { owner: "octocat", repo: "Hello-World" } }, body });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/repos/octocat/Hello-World/issues"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${TOKEN}` }], [TOKEN]);
    expect(mediaType(request!)).toBe("application/json");
    expect(JSON.parse(request!.text())).toEqual(body);
  });

  test("GET /repos/{owner}/{repo} answered 404: the basic-error body, code NOT_FOUND", async () => {
    const body = { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/repos#get-a-repository", status: "404" };
    ctx.recorder.answer({ status: 404, body });
    const result = await github().GET("/repos/{owner}/{repo}", { params: { path: { owner: "octocat", repo: "missing" } } });
    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.target}`)).toEqual(["GET /repos/octocat/missing"]);
    expectDeclaredError(result, { status: 404, body, code: "NOT_FOUND" });
  });
});

describe("GitHub: paginate follows RFC 8288 Link headers (recognised from the declared Link header)", () => {
  /** 120 issues, 50 a page, each page linking to the next (and last) as GitHub does, under another path. */
  const issues = Array.from({ length: 120 }, (_, i) => ({ id: 1000 + i, number: i + 1, title: `Issue ${i + 1}` }));
  const answerPages = () =>
    ctx.recorder.answer((request) => {
      const page = Number(new URLSearchParams(request.target.split("?")[1] ?? "").get("page") ?? 1);
      const last = Math.ceil(issues.length / 50);
      const link = (n: number, rel: string) => `<https://api.github.com/repositories/1296269/issues?per_page=50&page=${n}>; rel="${rel}"`;
      const rels = [...(page < last ? [link(page + 1, "next"), link(last, "last")] : []), ...(page > 1 ? [link(1, "first"), link(page - 1, "prev")] : [])];
      const headers: Record<string, string> = rels.length > 0 ? { link: rels.join(", ") } : {};
      return { status: 200, headers, body: issues.slice((page - 1) * 50, page * 50) };
    });

  test("the descriptor says link paging for GET /repos/{owner}/{repo}/issues", () => {
    expect(ctx.api.module["descriptor"].operations["GET /repos/{owner}/{repo}/issues"].pagination).toEqual({ style: "link", items: [] });
  });

  test("every page is asked with the next link's query, with the token, until no next link", async () => {
    answerPages();
    const numbers: number[] = [];
    for await (const issue of github().paginate("GET /repos/{owner}/{repo}/issues", { params: { path: { owner: "octocat", repo: "Hello-World" }, query: { per_page: 50 } } })) {
      numbers.push(issue.number);
    }
    expect(numbers).toEqual(issues.map((i) => i.number));
    expect(ctx.recorder.requests.map((r) => r.target)).toEqual([
      "/repos/octocat/Hello-World/issues?per_page=50",
      "/repos/octocat/Hello-World/issues?per_page=50&page=2",
      "/repos/octocat/Hello-World/issues?per_page=50&page=3",
    ]);
    for (const request of ctx.recorder.requests) expectCredentialOnlyAt(request, [{ header: "authorization", value: `Bearer ${TOKEN}` }], [TOKEN]);
  });

  test("pages() with meta, and a failing page's error says how far it got", async () => {
    ctx.recorder.answer(
      { status: 200, headers: { link: '<https://api.github.com/repositories/1296269/issues?page=2>; rel="next"' }, body: issues.slice(0, 50) },
      { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } },
    );
    const sizes: number[] = [];
    let failure: unknown;
    try {
      for await (const page of github().paginate("GET /repos/{owner}/{repo}/issues", { params: { path: { owner: "octocat", repo: "Hello-World" } } }).pages()) {
        sizes.push(page.items.length);
        expect(page.meta.status).toBe(200);
      }
    } catch (error) {
      failure = error;
    }
    expect(sizes).toEqual([50]);
    expect(failure).toMatchObject({ code: "NOT_FOUND", status: 404, details: { pagination: { operation: "GET /repos/{owner}/{repo}/issues", pages: 1, items: 50, cursor: "page=2" } } });
  });
});
