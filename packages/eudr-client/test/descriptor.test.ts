import { describe, expect, it } from "vitest";
import { eudrDescriptor } from "@nentropy/api-client";

/** Validates `body` with the generated zod/mini schema of one error response. */
async function validate(operation: string, status: string, body: unknown) {
  const schema = eudrDescriptor.errorSchemas?.[operation]?.[status];
  expect(schema, `${operation} ${status} has an error schema`).toBeDefined();
  return (await schema?.["~standard"].validate(body)) as { value?: unknown; issues?: readonly unknown[] };
}

describe("generated EUDR descriptor (seeds/nentropy-eudr-auth.txt)", () => {
  it("declares the seed's error table on every operation", () => {
    const op = eudrDescriptor.operations["GET /suppliers"];
    expect(op?.errors?.["401"]).toEqual(["AUTHENTICATION_REQUIRED", "INVALID_TOKEN_FORMAT", "INVALID_TOKEN", "TOKEN_REVOKED", "TOKEN_EXPIRED"]);
    expect(op?.errors?.["403"]).toEqual(["INTEGRATION_INACTIVE", "INSUFFICIENT_SCOPES"]);
    for (const [key, operation] of Object.entries(eudrDescriptor.operations)) {
      expect(operation.errors?.["401"], key).toContain("TOKEN_REVOKED");
    }
  });

  it("marks no error retryable: its 409 CONFLICT (duplicate externalId) is a real conflict", () => {
    const conflicts = Object.values(eudrDescriptor.operations).filter((op) => op.errors?.["409"] !== undefined);
    expect(conflicts.length).toBeGreaterThan(0);
    for (const [key, op] of Object.entries(eudrDescriptor.operations)) expect(op.retryableCodes, key).toBeUndefined();
  });

  it("knows the bearer token format", () => {
    const scheme = Object.values(eudrDescriptor.securitySchemes)[0];
    const pattern = new RegExp((scheme?.type === "mutualTLS" ? undefined : scheme?.format?.pattern) ?? "(?!)");
    expect(pattern.test(`eudr_live_${"0a".repeat(24)}`)).toBe(true);
    expect(pattern.test("eudr_live_short")).toBe(false);
  });

  it("ships error body schemas that accept declared bodies and reject undeclared codes", async () => {
    const ok = await validate("GET /suppliers", "401", { code: "TOKEN_REVOKED", message: "Token revoked", requestId: "r-1" });
    expect(ok.issues).toBeUndefined();
    expect(ok.value).toMatchObject({ code: "TOKEN_REVOKED" });
    const wrongCode = await validate("GET /suppliers", "401", { code: "INSUFFICIENT_SCOPES", message: "x" });
    expect(wrongCode.issues?.length).toBeGreaterThan(0);
    const noMessage = await validate("GET /suppliers", "403", { code: "INSUFFICIENT_SCOPES" });
    expect(noMessage.issues?.length).toBeGreaterThan(0);
  });

  it("marks creates idempotent", () => {
    expect(eudrDescriptor.operations["POST /suppliers"]?.idempotent).toBe(true);
    expect(eudrDescriptor.operations["GET /suppliers"]?.idempotent).toBeUndefined();
  });
});
