import { bearerToken } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectDeclaredError, expectNoCredential, formPairs, mediaType, multipartParts } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// Box Platform (specs/box.json): OAuth 2.0 authorization code (the app holds an access token);
// some operations public (`security: []`, the OAuth endpoints); JSON, multipart and octet-stream
// bodies; errors are `ClientError` whose `code` is an enum ("not_found", ...).
const ACCESS_TOKEN = "corpusBoxAccessToken0123456789abcdefXYZ";
const ctx = useCorpus("box");
const box = () => ctx.client({ auth: bearerToken(ACCESS_TOKEN) });

describe("Box: OAuth 2.0 access token, public operations, JSON/multipart/octet-stream bodies, a code enum", () => {
  test("POST /folders: Authorization: Bearer <token> only; JSON body", async () => {
    ctx.recorder.answer({ status: 201, body: { id: "12345", type: "folder", name: "Corpus" } });
    const body = { name: "Corpus", parent: { id: "0" } };
    const result = await box().POST("/folders", { body });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/folders"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${ACCESS_TOKEN}` }], [ACCESS_TOKEN]);
    expect(mediaType(request!)).toBe("application/json");
    expect(JSON.parse(request!.text())).toEqual(body);
  });

  test("POST /files/content: multipart with the JSON attributes part before the file's exact bytes", async () => {
    ctx.recorder.answer({ status: 201, body: { total_count: 1, entries: [{ id: "98765", type: "file" }] } });
    const bytes = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00, 0xff, 0x80]);
    const attributes = { name: "report.pdf", parent: { id: "0" } };
    const result = await box().POST("/files/content", {
      body: { attributes, file: new Blob([bytes], { type: "application/pdf" }) },
    });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/files/content"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${ACCESS_TOKEN}` }], [ACCESS_TOKEN]);
    expect(mediaType(request!)).toBe("multipart/form-data");
    const parts = multipartParts(request!);
    expect(parts.map((p) => p.name)).toEqual(["attributes", "file"]);
    expect(JSON.parse(parts[0]!.data.toString("utf8"))).toEqual(attributes);
    expect(Buffer.compare(parts[1]!.data, Buffer.from(bytes))).toBe(0);
  });

  test("PUT /files/upload_sessions/{id}: application/octet-stream with the exact bytes", async () => {
    ctx.recorder.answer({ status: 200, body: { part: { part_id: "6F2D3486", offset: 0, size: 8, sha1: "x" } } });
    const chunk = Uint8Array.from([0, 1, 2, 3, 252, 253, 254, 255]);
    const result = await box().PUT("/files/upload_sessions/{upload_session_id}", {
      params: {
        path: { upload_session_id: "D5E3F7A" },
        header: { digest: "sha=fpRyg5eVQletdZqEKaFlqwBXJzM=", "content-range": "bytes 0-7/8" },
      },
      body: chunk,
    });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["PUT", "/files/upload_sessions/D5E3F7A"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${ACCESS_TOKEN}` }], [ACCESS_TOKEN]);
    expect(mediaType(request!)).toBe("application/octet-stream");
    expect(Buffer.compare(request!.body, Buffer.from(chunk))).toBe(0);
    expect(request!.header("content-range")).toEqual(["bytes 0-7/8"]);
  });

  test("POST /oauth2/revoke is public (security: []): no credential at all; a form body", async () => {
    ctx.recorder.answer({ status: 200 });
    const result = await box().POST("/oauth2/revoke", {
      body: { client_id: "corpus-client", client_secret: "corpus-client-secret", token: "token-to-revoke-123" },
    });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/oauth2/revoke"]);
    expectNoCredential(request!, [ACCESS_TOKEN]);
    expect(mediaType(request!)).toBe("application/x-www-form-urlencoded");
    expect(formPairs(request!).sort()).toEqual(
      [
        ["client_id", "corpus-client"],
        ["client_secret", "corpus-client-secret"],
        ["token", "token-to-revoke-123"],
      ].sort(),
    );
  });

  test("GET /files/{file_id} answered 404: the ClientError body, code from its enum (not_found)", async () => {
    const body = {
      type: "error",
      status: 404,
      code: "not_found",
      message: "Not Found",
      context_info: { errors: [{ reason: "invalid_parameter", name: "file", message: "Invalid value 'f_123'." }] },
      help_url: "http://developers.box.com/docs/#errors",
      request_id: "abcdef123456",
    };
    ctx.recorder.answer({ status: 404, body });
    const result = await box().GET("/files/{file_id}", { params: { path: { file_id: "123" } } });
    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.target}`)).toEqual(["GET /files/123"]);
    expectDeclaredError(result, { status: 404, body, code: "not_found" });
  });
});
