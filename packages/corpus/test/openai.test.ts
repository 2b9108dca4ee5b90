import { bearerToken } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectDeclaredError, mediaType, multipartParts } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// OpenAI (specs/openai.yaml, OpenAPI 3.1): two bearer schemes, `ApiKeyAuth` (the default) and
// `AdminApiKeyAuth` (organization endpoints); JSON bodies; multipart file uploads; a few declared 404s
// whose body has a nullable string `code` (no enum: the code derives from the status).
const KEY = "sk-proj-corpusOpenAiKey0123456789abcdef";
const ADMIN_KEY = "sk-admin-corpusOpenAiAdminKey9876543210";
const ctx = useCorpus("openai");

describe("OpenAI: bearer schemes bound by name, JSON and multipart bodies, a declared 404", () => {
  test("POST /chat/completions: Authorization: Bearer <key> only; the JSON body as given", async () => {
    ctx.recorder.answer({ status: 200, body: { id: "chatcmpl-corpus", object: "chat.completion", choices: [] } });
    const openai = ctx.client({ auth: bearerToken(KEY) });
    const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hi" }], temperature: 0 };
    const result = await openai.POST("/chat/completions", { body });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ id: "chatcmpl-corpus", object: "chat.completion", choices: [] });
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/chat/completions"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${KEY}` }], [KEY]);
    expect(mediaType(request!)).toBe("application/json");
    expect(JSON.parse(request!.text())).toEqual(body);
  });

  test("POST /files: multipart/form-data with the file's exact bytes and the purpose field", async () => {
    ctx.recorder.answer({ status: 200, body: { id: "file-corpus", object: "file", bytes: 58, filename: "train.jsonl", purpose: "fine-tune" } });
    const openai = ctx.client({ auth: bearerToken(KEY) });
    const bytes = new TextEncoder().encode('{"messages":[{"role":"user","content":"hi"}]}\n{"x":1}\n');
    const result = await openai.POST("/files", {
      body: { file: new File([bytes], "train.jsonl", { type: "application/jsonl" }), purpose: "fine-tune" },
    });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/files"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${KEY}` }], [KEY]);
    expect(request!.header("content-type")[0]).toMatch(/^multipart\/form-data; boundary=/);
    const parts = multipartParts(request!);
    expect(parts.map((p) => p.name).sort()).toEqual(["file", "purpose"]);
    const file = parts.find((p) => p.name === "file")!;
    expect(file.filename).toBe("train.jsonl");
    expect(Buffer.compare(file.data, Buffer.from(bytes))).toBe(0);
    expect(parts.find((p) => p.name === "purpose")!.data.toString("utf8")).toBe("fine-tune");
  });

  test("credentials by scheme name: the admin key goes to AdminApiKeyAuth operations only, the project key to the rest", async () => {
    ctx.recorder.answer((request) =>
      request.path.startsWith("/organization/")
        ? { status: 200, body: { object: "list", data: [], first_id: null, last_id: null, has_more: false } }
        : { status: 200, body: { object: "list", data: [], has_more: false } },
    );
    const openai = ctx.client({ auth: { ApiKeyAuth: bearerToken(KEY), AdminApiKeyAuth: bearerToken(ADMIN_KEY) } });
    const admin = await openai.GET("/organization/projects/{project_id}/users", { params: { path: { project_id: "proj_corpus" } } });
    const files = await openai.GET("/files");
    expect(admin.error).toBeUndefined();
    expect(files.error).toBeUndefined();
    const [adminRequest, filesRequest] = ctx.recorder.requests;
    expect(adminRequest!.path).toBe("/organization/projects/proj_corpus/users");
    expectCredentialOnlyAt(adminRequest!, [{ header: "authorization", value: `Bearer ${ADMIN_KEY}` }], [ADMIN_KEY, KEY]);
    expect(filesRequest!.path).toBe("/files");
    expectCredentialOnlyAt(filesRequest!, [{ header: "authorization", value: `Bearer ${KEY}` }], [ADMIN_KEY, KEY]);
  });

  test("DELETE /responses/{response_id} answered 404: the declared body, code NOT_FOUND", async () => {
    const body = { type: "invalid_request_error", message: "Response with id 'resp_missing' not found.", param: null, code: null };
    ctx.recorder.answer({ status: 404, body });
    const openai = ctx.client({ auth: bearerToken(KEY) });
    const result = await openai.DELETE("/responses/{response_id}", { params: { path: { response_id: "resp_missing" } } });
    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.target}`)).toEqual(["DELETE /responses/resp_missing"]);
    expectDeclaredError(result, { status: 404, body, code: "NOT_FOUND" });
  });
});
