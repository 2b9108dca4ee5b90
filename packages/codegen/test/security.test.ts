import { describe, expect, it } from "vitest";
import { generateFromSource, readApiModel, type ApiModel } from "../src/index.js";
import { fileOf, plainSpecText } from "./support/spec.js";

const ok = { "200": { description: "OK." } };

/** The security facts of a model: scheme descriptors and kinds, API kinds, kinds per operation. */
function securityOf(model: ApiModel) {
  return {
    schemes: Object.fromEntries(Object.entries(model.securitySchemes).map(([name, s]) => [name, s.descriptor])),
    schemeKinds: Object.fromEntries(Object.entries(model.securitySchemes).map(([name, s]) => [name, s.kind])),
    apiKinds: model.kinds,
    operations: Object.fromEntries(model.operations.map((op) => [op.key, op.kinds])),
    warnings: model.warnings.map((w) => w.code),
  };
}

const cases: { name: string; given: Record<string, unknown>; want: Partial<ReturnType<typeof securityOf>> }[] = [
  {
    name: "no security declared anywhere: every kind may call every operation",
    given: { paths: { "/user": { get: { responses: ok } } } },
    want: {
      schemes: {},
      apiKinds: ["none", "bearer", "apiKey", "basic", "mutualTLS"],
      operations: { "GET /user": ["none", "bearer", "apiKey", "basic", "mutualTLS"] },
      warnings: [],
    },
  },
  {
    name: "HTTP basic OR bearer (Stripe): scheme lower-cased, one kind each",
    given: {
      components: { securitySchemes: { basicAuth: { type: "http", scheme: "Basic" }, bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
      security: [{ basicAuth: [] }, { bearerAuth: [] }],
      paths: { "/v1/charges": { post: { responses: ok } } },
    },
    want: {
      schemes: { basicAuth: { type: "http", scheme: "basic" }, bearerAuth: { type: "http", scheme: "bearer" } },
      schemeKinds: { basicAuth: "basic", bearerAuth: "bearer" },
      apiKinds: ["none", "bearer", "basic"],
      operations: { "POST /v1/charges": ["none", "bearer", "basic"] },
    },
  },
  {
    name: "another HTTP scheme (Authorization: Token ...) takes a token",
    given: { components: { securitySchemes: { token: { type: "http", scheme: "Token" } } }, security: [{ token: [] }], paths: { "/a": { get: { responses: ok } } } },
    want: { schemes: { token: { type: "http", scheme: "token" } }, schemeKinds: { token: "bearer" }, apiKinds: ["none", "bearer"] },
  },
  {
    name: "an API key in a cookie OR in a header",
    given: {
      components: {
        securitySchemes: { session: { type: "apiKey", in: "cookie", name: "sid" }, key: { type: "apiKey", in: "header", name: "X-Api-Key" } },
      },
      security: [{ session: [] }, { key: [] }],
      paths: { "/a": { get: { responses: ok } } },
    },
    want: {
      schemes: { key: { type: "apiKey", in: "header", name: "X-Api-Key" }, session: { type: "apiKey", in: "cookie", name: "sid" } },
      apiKinds: ["none", "apiKey"],
      operations: { "GET /a": ["none", "apiKey"] },
    },
  },
  {
    name: "two API keys at once (app id AND key)",
    given: {
      components: {
        securitySchemes: {
          appId: { type: "apiKey", in: "header", name: "X-Algolia-Application-Id" },
          apiKey: { type: "apiKey", in: "header", name: "X-Algolia-API-Key" },
        },
      },
      security: [{ appId: [], apiKey: [] }],
      paths: { "/1/indexes": { get: { responses: ok } } },
    },
    want: { schemeKinds: { apiKey: "apiKey", appId: "apiKey" }, apiKinds: ["none", "apiKey"], operations: { "GET /1/indexes": ["none", "apiKey"] } },
  },
  {
    name: "schemes of different kinds at once (AND) are allowed: the operation takes both kinds",
    given: {
      components: { securitySchemes: { key: { type: "apiKey", in: "query", name: "key" }, bearer: { type: "http", scheme: "bearer" } } },
      paths: { "/a": { get: { security: [{ key: [], bearer: [] }], responses: ok } } },
    },
    want: { apiKinds: ["none", "bearer", "apiKey"], operations: { "GET /a": ["none", "bearer", "apiKey"] } },
  },
  {
    name: "a public operation does not widen the API's kinds (bearer-only spec)",
    given: {
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
      paths: { "/login": { post: { security: [], responses: ok } }, "/me": { get: { responses: ok } }, "/open": { get: { security: [{}, { bearer: [] }], responses: ok } } },
    },
    want: { apiKinds: ["none", "bearer"], operations: { "POST /login": ["none", "bearer"], "GET /me": ["none", "bearer"], "GET /open": ["none", "bearer"] } },
  },
  {
    name: "oauth2 with only the implicit flow: kept, with a warning",
    given: {
      components: { securitySchemes: { legacy: { type: "oauth2", flows: { implicit: { authorizationUrl: "https://auth.test/authorize", scopes: {} } } } } },
      security: [{ legacy: [] }],
      paths: { "/a": { get: { responses: ok } } },
    },
    want: {
      schemes: { legacy: { type: "oauth2", flows: { implicit: {} } } },
      schemeKinds: { legacy: "bearer" },
      warnings: ["OAUTH_FLOW_NOT_RUN"],
    },
  },
  {
    name: "oauth2 with password and client credentials: every flow kept, no warning",
    given: {
      components: {
        securitySchemes: {
          oauth: {
            type: "oauth2",
            flows: {
              password: { tokenUrl: "https://auth.test/token", scopes: {} },
              clientCredentials: { tokenUrl: "https://auth.test/token", refreshUrl: "https://auth.test/refresh", scopes: { read: "Read." } },
            },
          },
        },
      },
      paths: {},
    },
    want: {
      schemes: {
        oauth: {
          type: "oauth2",
          flows: { clientCredentials: { tokenUrl: "https://auth.test/token" }, password: { tokenUrl: "https://auth.test/token" } },
        },
      },
      warnings: [],
    },
  },
  {
    name: "openIdConnect: the discovery URL",
    given: {
      components: { securitySchemes: { oidc: { type: "openIdConnect", openIdConnectUrl: "https://auth.test/.well-known/openid-configuration" } } },
      security: [{ oidc: ["openid"] }],
      paths: { "/a": { get: { responses: ok } } },
    },
    want: { schemes: { oidc: { type: "openIdConnect", url: "https://auth.test/.well-known/openid-configuration" } }, schemeKinds: { oidc: "bearer" }, apiKinds: ["none", "bearer"] },
  },
  {
    name: "mutualTLS: a client certificate",
    given: { components: { securitySchemes: { cert: { type: "mutualTLS" } } }, security: [{ cert: [] }], paths: { "/a": { get: { responses: ok } } } },
    want: { schemes: { cert: { type: "mutualTLS" } }, schemeKinds: { cert: "mutualTLS" }, apiKinds: ["none", "mutualTLS"], operations: { "GET /a": ["none", "mutualTLS"] } },
  },
];

describe("security schemes and credential kinds (given a spec, want descriptors and kinds)", () => {
  it.each(cases)("$name", ({ given, want }) => {
    expect(securityOf(readApiModel(plainSpecText(given)))).toMatchObject(want);
  });

  it("warns about an implicit-only oauth2 scheme with its location and the way out", () => {
    const text = plainSpecText(cases.find((c) => c.name.startsWith("oauth2 with only"))?.given);
    const [warning] = readApiModel(text, { file: "legacy.yaml" }).warnings;
    expect(warning).toMatchObject({ code: "OAUTH_FLOW_NOT_RUN", file: "legacy.yaml", pointer: "#/components/securitySchemes/legacy/flows" });
    expect(warning?.line).toBeGreaterThan(1);
    expect(warning?.reason).toBe(
      'oauth2 scheme "legacy" declares only the implicit flow; portico does not run implicit or password flows (OAuth 2.1 removes them): ' +
        "use authorizationCode with PKCE, or pass a token obtained elsewhere with bearerToken()",
    );
  });
});

describe("security in the generated files", () => {
  it("emits each scheme's kind as <Name>SecuritySchemes and uses it in the options type", async () => {
    const module = await generateFromSource(plainSpecText(cases[1]?.given));
    const kinds = fileOf(module, "credential-kinds.ts");
    expect(kinds).toContain('export type PlainSecuritySchemes = {\n  basicAuth: "basic";\n  bearerAuth: "bearer";\n};');
    const client = fileOf(module, "client.ts");
    expect(client).toContain('export type PlainCredentialKind = "none" | "bearer" | "basic";');
    expect(client).toContain("= ClientOptions<Kinds, Throws, PlainSecuritySchemes, PlainServerVariables>;");
    expect(fileOf(module, "index.ts")).toContain("export type { OperationCredentialKinds, PlainSecuritySchemes }");
  });

  it("quotes scheme names that are not identifiers; Record<never, never> when there is none", async () => {
    const quoted = await generateFromSource(plainSpecText({ components: { securitySchemes: { "api-key": { type: "apiKey", in: "query", name: "k" } } } }));
    expect(fileOf(quoted, "credential-kinds.ts")).toContain('  "api-key": "apiKey";');
    const none = await generateFromSource(plainSpecText());
    expect(fileOf(none, "credential-kinds.ts")).toContain("export type PlainSecuritySchemes = Record<never, never>;");
  });

  it("writes top-level security only when the spec has it; [] as []", async () => {
    const absent = fileOf(await generateFromSource(plainSpecText({ paths: { "/a": { get: { responses: ok } } } })), "descriptor.ts");
    expect(absent).not.toMatch(/^ {2}security:/m);
    const empty = fileOf(await generateFromSource(plainSpecText({ security: [], paths: { "/a": { get: { responses: ok } } } })), "descriptor.ts");
    expect(empty).toMatch(/^ {2}security: \[\],$/m);
  });

  it("writes an operation's own security when the spec has no top-level one", async () => {
    const descriptor = fileOf(await generateFromSource(plainSpecText(cases[5]?.given)), "descriptor.ts");
    expect(descriptor).toContain('"GET /a": { security: [{ key: [], bearer: [] }] }');
  });

  it("restricts no operation when a public one is the only difference, and one that needs another kind otherwise", async () => {
    const module = await generateFromSource(plainSpecText(cases[6]?.given));
    expect(fileOf(module, "credential-kinds.ts")).not.toContain("RestrictedOperationKinds");
    const mixed = await generateFromSource(
      plainSpecText({
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" }, key: { type: "apiKey", in: "header", name: "K" } } },
        security: [{ bearer: [] }, { key: [] }],
        paths: { "/a": { get: { responses: ok } }, "/admin": { get: { security: [{ bearer: [] }], responses: ok } } },
      }),
    );
    const kinds = fileOf(mixed, "credential-kinds.ts");
    expect(kinds.slice(kinds.indexOf("RestrictedOperationKinds"))).toBe('RestrictedOperationKinds {\n  "/admin": {\n    get: "none" | "bearer";\n  };\n}\n');
  });
});
