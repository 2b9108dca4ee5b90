import { apiKey } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectDeclaredError, expectNoCredential, mediaType } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// Blockfrost (npm @blockfrost/openapi, openapi.yaml): apiKey in the `project_id` header; `/health`
// public; `POST /tx/submit` takes `application/cbor` bytes; every operation declares 400/403/404/418/
// 429/500 bodies `{ status_code, error, message }` (no code enum).
const PROJECT_ID = "mainnetCorpusBlockfrostProjectId0123456789";
const ctx = useCorpus("blockfrost");
const blockfrost = () => ctx.client({ auth: apiKey(PROJECT_ID) });

describe("Blockfrost: API key header, a public operation, a CBOR body, a declared 404", () => {
  test("GET /blocks/latest: project_id: <key> only", async () => {
    ctx.recorder.answer({ status: 200, body: { hash: "4ea1ba291e8eef538635a53e59fddba7810d1679631cc3aed7c8e6c4091a516a", height: 15243593 } });
    const result = await blockfrost().GET("/blocks/latest");
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["GET", "/blocks/latest"]);
    expectCredentialOnlyAt(request!, [{ header: "project_id", value: PROJECT_ID }], [PROJECT_ID]);
  });

  test("POST /tx/submit: Content-Type application/cbor and the exact bytes", async () => {
    const txHash = "d1662b24fa9fe985fc2dce47455df399cb2e31e1e1819339e885801cc3578908";
    ctx.recorder.answer({ status: 200, body: JSON.stringify(txHash), headers: { "content-type": "application/json" } });
    const cbor = Uint8Array.from([0x83, 0xa4, 0x00, 0x81, 0x82, 0x58, 0x20, 0x89, 0x11, 0xf6, 0x40, 0xd4, 0x52, 0xc3, 0xbe, 0x4f]);
    const result = await blockfrost().POST("/tx/submit", { body: cbor });
    expect(result.error).toBeUndefined();
    expect(result.data).toBe(txHash);
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/tx/submit"]);
    expectCredentialOnlyAt(request!, [{ header: "project_id", value: PROJECT_ID }], [PROJECT_ID]);
    expect(mediaType(request!)).toBe("application/cbor");
    expect(Buffer.compare(request!.body, Buffer.from(cbor))).toBe(0);
  });

  test("GET /health is public (security: []): no project_id", async () => {
    ctx.recorder.answer({ status: 200, body: { is_healthy: true } });
    const result = await blockfrost().GET("/health");
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect(request!.header("project_id")).toEqual([]);
    expectNoCredential(request!, [PROJECT_ID]);
  });

  test("GET /blocks/{hash_or_number} answered 404: the declared body, code NOT_FOUND", async () => {
    const body = { status_code: 404, error: "Not Found", message: "The requested component has not been found." };
    ctx.recorder.answer({ status: 404, body });
    const result = await blockfrost().GET("/blocks/{hash_or_number}", { params: { path: { hash_or_number: "999999999" } } });
    expect(ctx.recorder.requests.map((r) => `${r.method} ${r.target}`)).toEqual(["GET /blocks/999999999"]);
    expectDeclaredError(result, { status: 404, body, code: "NOT_FOUND" });
  });
});
