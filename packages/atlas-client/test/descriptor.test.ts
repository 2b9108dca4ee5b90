import { describe, expect, it } from "vitest";
import { atlasDescriptor, atlasEvents } from "@atlas-softpos/api-client";

describe("generated Atlas descriptor (seeds/atlas-softpos-auth.txt)", () => {
  it("takes an API key OR a bearer token, never both at once", () => {
    for (const [key, op] of Object.entries(atlasDescriptor.operations)) {
      for (const requirement of op.security ?? atlasDescriptor.security ?? []) {
        expect(Object.keys(requirement), key).toHaveLength(1);
      }
    }
    const types = new Set(Object.values(atlasDescriptor.securitySchemes).map((s) => s.type));
    expect(types).toEqual(new Set(["apiKey", "oauth2"]));
  });

  it("requires an Idempotency-Key on a sale and knows each key prefix's environment", () => {
    expect(atlasDescriptor.operations["POST /v1/transaction/sale"]).toMatchObject({ idempotent: true });
    const key = Object.values(atlasDescriptor.securitySchemes).find((s) => s.type === "apiKey");
    expect(key?.format?.environments).toEqual({ sk_live_: "production", sk_test_: "sandbox" });
    const oauth = Object.values(atlasDescriptor.securitySchemes).find((s) => s.type === "oauth2");
    expect(oauth).toMatchObject({ flows: { clientCredentials: { tokenUrl: "https://auth.atlas-softpos.com/v1/token" } } });
  });

  it("retries a 409 only for IDEMPOTENCY_KEY_IN_USE, never for TRANSACTION_STATE_CONFLICT", () => {
    const sale = atlasDescriptor.operations["POST /v1/transaction/sale"];
    expect(sale?.retryableCodes).toEqual(["IDEMPOTENCY_KEY_IN_USE"]);
    for (const [key, op] of Object.entries(atlasDescriptor.operations)) {
      expect(op.retryableCodes ?? [], key).not.toContain("TRANSACTION_STATE_CONFLICT");
      if (op.errors?.["409"]?.includes("IDEMPOTENCY_KEY_IN_USE")) expect(op.retryableCodes, key).toEqual(["IDEMPOTENCY_KEY_IN_USE"]);
    }
  });

  it("exports the event stream path", () => {
    expect(atlasEvents.path).toMatch(/^\//);
  });
});
