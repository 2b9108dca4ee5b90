import { describe, expect, it } from "vitest";
import { apiKey } from "../../src/auth/api-key.js";
import { bearerToken } from "../../src/auth/bearer-token.js";
import { checkCredentialConflict } from "../../src/auth/conflict.js";
import type { Credential } from "../../src/auth/credential.js";
import { none } from "../../src/auth/none.js";
import { createCredentialSelector, selectCredential } from "../../src/auth/select.js";
import { PorticoError } from "../../src/errors/portico-error.js";
import type { ApiDescriptor } from "../../src/spec/descriptor.js";
import { atlas, erip } from "./support/descriptors.js";

const key = apiKey("erip_0123456789abcdef0123");
const jwt = bearerToken("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl");
const dev = none();

const both: ApiDescriptor = {
  name: "both",
  servers: [],
  securitySchemes: { a: { type: "bearer" }, k: { type: "apiKey", in: "header", name: "X-Key" }, q: { type: "apiKey", in: "query", name: "apiKey" } },
  security: [{ a: [], k: [] }],
  operations: { "GET /and": {}, "GET /query": { security: [{ q: ["read"] }] }, "GET /unknown-scheme": { security: [{ nope: [] }] } },
};

describe("selectCredential", () => {
  const cases: { name: string; descriptor: ApiDescriptor; op: string; credentials: Credential[]; want: { scheme: string; kind: string; scopes?: string[] } | "none-needed" | "not-allowed" }[] = [
    { name: "ERIP search with a key", descriptor: erip, op: "GET /v1/companies/search", credentials: [key], want: { scheme: "apiKeyAuth", kind: "apiKey" } },
    { name: "ERIP search prefers the first alternative (JWT)", descriptor: erip, op: "GET /v1/companies/search", credentials: [key, jwt], want: { scheme: "jwtAuth", kind: "bearer" } },
    { name: "ERIP /tenant with a key only", descriptor: erip, op: "GET /v1/tenant/credits", credentials: [key], want: "not-allowed" },
    { name: "ERIP /tenant with both", descriptor: erip, op: "GET /v1/tenant/credits", credentials: [key, jwt], want: { scheme: "jwtAuth", kind: "bearer" } },
    { name: "security: [] needs nothing", descriptor: erip, op: "POST /v1/auth/request-login-link", credentials: [key], want: "none-needed" },
    { name: "unknown operation falls back to the top level", descriptor: erip, op: "GET /v1/elsewhere", credentials: [key], want: { scheme: "apiKeyAuth", kind: "apiKey" } },
    { name: "none() satisfies anything", descriptor: erip, op: "GET /v1/tenant/credits", credentials: [dev], want: { scheme: "jwtAuth", kind: "none" } },
    { name: "Atlas sale scopes with bearer", descriptor: atlas, op: "POST /v1/transaction/sale", credentials: [jwt], want: { scheme: "bearerAuth", kind: "bearer", scopes: ["transactions:write"] } },
    { name: "AND requirement with both kinds", descriptor: both, op: "GET /and", credentials: [jwt, key], want: { scheme: "a", kind: "bearer" } },
    { name: "AND requirement with one kind", descriptor: both, op: "GET /and", credentials: [jwt], want: "not-allowed" },
    { name: "scheme missing from securitySchemes", descriptor: both, op: "GET /unknown-scheme", credentials: [jwt, key], want: "not-allowed" },
    { name: "no credentials at all", descriptor: erip, op: "GET /v1/companies/search", credentials: [], want: "not-allowed" },
  ];
  for (const { name, descriptor, op, credentials, want } of cases) {
    it(name, () => {
      const got = selectCredential(descriptor, op, credentials);
      if (want === "none-needed") return expect(got).toBeUndefined();
      if (want === "not-allowed") {
        expect(got).toBeInstanceOf(PorticoError);
        return expect((got as PorticoError).code).toBe("CREDENTIAL_NOT_ALLOWED");
      }
      expect(got).not.toBeInstanceOf(PorticoError);
      expect(got).toMatchObject({ scheme: want.scheme, credential: { kind: want.kind }, ...(want.scopes ? { scopes: want.scopes } : {}) });
    });
  }

  it("AND requirements list every scheme; query apiKey schemes put the key in the query", async () => {
    const got = selectCredential(both, "GET /and", [jwt, key]);
    expect(got && !(got instanceof PorticoError) ? got.all.map((part) => part.scheme) : []).toEqual(["a", "k"]);
    const query = selectCredential(both, "GET /query", [key]);
    if (!query || query instanceof PorticoError) throw new Error("expected a selection");
    const authorization = await query.credential.authorize({ url: "https://x.test/query", method: "GET", operation: "GET /query", scheme: query.scheme, schemeDescriptor: query.schemeDescriptor, scopes: query.scopes });
    expect(authorization.query).toEqual({ apiKey: "erip_0123456789abcdef0123" });
    expect(authorization.headers).toBeUndefined();
  });

  it("a selector memoizes per operation and returns the same selection object", () => {
    const select = createCredentialSelector(erip, [key]);
    const first = select("GET /v1/companies/search");
    expect(select("GET /v1/companies/search")).toBe(first);
    expect(select("GET /v1/tenant/credits")).toBeInstanceOf(PorticoError);
  });
});

describe("checkCredentialConflict", () => {
  it("refuses X-Api-Key together with Authorization where the API takes one of them", () => {
    expect(checkCredentialConflict(atlas, "GET /v1/device/health", { Authorization: "Bearer x" })).toBeUndefined();
    expect(checkCredentialConflict(atlas, "GET /v1/device/health", { "x-api-key": "k", authorization: "Bearer x" })?.code).toBe("CREDENTIAL_CONFLICT");
    expect(checkCredentialConflict(atlas, "GET /v1/device/health", new Headers({ "X-Api-Key": "k", Authorization: "Bearer x" }))?.code).toBe("CREDENTIAL_CONFLICT");
  });
  it("allows both where one requirement asks for both", () => {
    expect(checkCredentialConflict(both, "GET /and", { Authorization: "Bearer x", "X-Key": "k" })).toBeUndefined();
  });
});
