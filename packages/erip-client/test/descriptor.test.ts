import { describe, expect, it } from "vitest";
import { eripDescriptor } from "@erip/api-client";

/** `bearer` for an HTTP bearer scheme, else the scheme's type. */
const kindOf = (scheme: string) => {
  const descriptor = eripDescriptor.securitySchemes[scheme];
  return descriptor?.type === "http" ? descriptor.scheme : descriptor?.type;
};
/** Scheme kinds that can satisfy an operation's security (its own, else the top-level one). */
const schemeTypes = (key: string) =>
  new Set((eripDescriptor.operations[key]?.security ?? eripDescriptor.security ?? []).flatMap((r) => Object.keys(r).map(kindOf)));

describe("generated ERIP descriptor (seeds/erip-auth.txt)", () => {
  it("follows the scheme ↔ endpoint matrix", () => {
    const keys = Object.keys(eripDescriptor.operations);
    const tenant = keys.filter((k) => k.includes(" /v1/tenant/"));
    expect(tenant.length).toBeGreaterThan(5);
    for (const key of tenant) expect([...schemeTypes(key)], key).toEqual(["bearer"]);
    for (const key of ["GET /v1/companies/search", "GET /v1/auth/me", "POST /v1/mcp"]) {
      expect(schemeTypes(key), key).toEqual(new Set(["bearer", "apiKey"]));
    }
    expect(eripDescriptor.operations["POST /v1/auth/request-login-link"]?.security).toEqual([]);
  });

  it("declares credit costs and the 402 code", () => {
    expect(eripDescriptor.operations["GET /v1/companies/search"]?.credits).toBe(1);
    expect(eripDescriptor.operations["GET /v1/companies/{companyId}/detail"]?.credits).toBe(50);
    expect(eripDescriptor.operations["GET /v1/companies/{companyId}/detail"]?.errors?.["402"]).toEqual(["INSUFFICIENT_CREDITS"]);
  });

  it("sends the API key as X-Api-Key", () => {
    const keyScheme = Object.values(eripDescriptor.securitySchemes).find((s) => s.type === "apiKey");
    expect(keyScheme).toMatchObject({ in: "header", name: "X-Api-Key" });
  });
});
