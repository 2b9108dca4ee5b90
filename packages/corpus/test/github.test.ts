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
