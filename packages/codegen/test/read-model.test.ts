import { describe, expect, it } from "vitest";
import { readApiModel, type OperationModel } from "../src/index.js";
import { errorBody, specText } from "./support/spec.js";

const ok = { "200": { description: "OK." } };

/** The model fields a table row checks, without the located schemas. */
function summary(op: OperationModel | undefined) {
  if (op === undefined) return undefined;
  const { errors, ...rest } = op;
  return { ...rest, errors: Object.fromEntries(errors.map((e) => [e.status, e.codes])) };
}

describe("readApiModel: operations (given a spec fragment, want metadata)", () => {
  const cases: { name: string; given: Record<string, unknown>; key: string; want: Partial<ReturnType<typeof summary>> }[] = [
    {
      name: "a GET inherits the top-level security and declares no extras",
      given: { paths: { "/items": { get: { responses: ok } } } },
      key: "GET /items",
      want: { key: "GET /items", path: "/items", method: "get", kinds: ["none", "bearer"], idempotent: false, metered: false, errors: {} },
    },
    {
      name: "a required Idempotency-Key header on a POST makes it idempotent and the key required",
      given: {
        paths: {
          "/sales": {
            post: {
              parameters: [{ name: "Idempotency-Key", in: "header", required: true, schema: { type: "string" } }],
              responses: ok,
            },
          },
        },
      },
      key: "POST /sales",
      want: { idempotent: true },
    },
    {
      name: "an optional idempotency-key header (any case) from a path-level $ref parameter",
      given: {
        components: { parameters: { Key: { name: "idempotency-key", in: "header", schema: { type: "string" } } } },
        paths: { "/sales": { parameters: [{ $ref: "#/components/parameters/Key" }], put: { responses: ok } } },
      },
      key: "PUT /sales",
      want: { idempotent: true },
    },
    {
      name: "an Idempotency-Key header on a GET is not idempotency",
      given: { paths: { "/sales": { get: { parameters: [{ name: "Idempotency-Key", in: "header" }], responses: ok } } } },
      key: "GET /sales",
      want: { idempotent: false },
    },
    {
      name: "x-portico-idempotent marks a DELETE idempotent without a header",
      given: { paths: { "/keys/{id}": { delete: { "x-portico-idempotent": true, responses: ok } } } },
      key: "DELETE /keys/{id}",
      want: { idempotent: true },
    },
    {
      name: "x-portico-credits is the declared cost",
      given: { paths: { "/companies/{id}/detail": { get: { "x-portico-credits": 50, responses: ok } } } },
      key: "GET /companies/{id}/detail",
      want: { credits: 50, metered: true },
    },
    {
      name: "error codes per status, sorted, from enum, const, $ref and allOf; a non-JSON error declares no codes",
      given: {
        components: {
          responses: { Unauthorized: errorBody(["INVALID_TOKEN", "TOKEN_EXPIRED"]) },
          schemas: { Base: { type: "object", properties: { message: { type: "string" } } } },
        },
        paths: {
          "/items": {
            get: {
              responses: {
                ...ok,
                default: errorBody(["INTERNAL"]),
                "429": { description: "Slow down.", content: { "text/plain": { schema: { type: "string" } } } },
                "404": {
                  description: "Missing.",
                  content: { "application/json": { schema: { type: "object", properties: { code: { const: "NOT_FOUND" } } } } },
                },
                "401": { $ref: "#/components/responses/Unauthorized" },
                "5XX": errorBody(["UNAVAILABLE"]),
                "422": {
                  description: "Invalid.",
                  content: {
                    "application/problem+json": {
                      schema: { allOf: [{ $ref: "#/components/schemas/Base" }, { properties: { code: { enum: ["INVALID"] } } }] },
                    },
                  },
                },
              },
            },
          },
        },
      },
      key: "GET /items",
      want: {
        errors: {
          "401": ["INVALID_TOKEN", "TOKEN_EXPIRED"],
          "404": ["NOT_FOUND"],
          "422": ["INVALID"],
          "429": [],
          "5XX": ["UNAVAILABLE"],
          default: ["INTERNAL"],
        },
      },
    },
    {
      name: "oneOf error bodies: the union of their codes",
      given: {
        paths: {
          "/items": {
            get: {
              responses: {
                "409": {
                  description: "Conflict.",
                  content: {
                    "application/json": {
                      schema: {
                        oneOf: [
                          { type: "object", properties: { code: { enum: ["A"] } } },
                          { type: "object", properties: { code: { enum: ["B", "A"] } } },
                        ],
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
      key: "GET /items",
      want: { errors: { "409": ["A", "B"] } },
    },
    {
      name: "x-portico-retryable: true through a $ref marks every code of that response; none elsewhere",
      given: {
        components: { responses: { InFlight: { ...errorBody(["IDEMPOTENCY_KEY_IN_USE"]), "x-portico-retryable": true } } },
        paths: {
          "/sales": {
            post: {
              "x-portico-idempotent": true,
              responses: { ...ok, "409": { $ref: "#/components/responses/InFlight" }, "422": errorBody(["INVALID"]) },
            },
          },
        },
      },
      key: "POST /sales",
      want: { retryableCodes: ["IDEMPOTENCY_KEY_IN_USE"], errors: { "409": ["IDEMPOTENCY_KEY_IN_USE"], "422": ["INVALID"] } },
    },
    {
      name: "x-portico-retryable as a list marks only those codes of a mixed response; lists of several statuses merge",
      given: {
        paths: {
          "/items": {
            post: {
              "x-portico-idempotent": true,
              responses: {
                ...ok,
                "409": { ...errorBody(["SKU_ALREADY_EXISTS", "IDEMPOTENCY_KEY_IN_USE"]), "x-portico-retryable": ["IDEMPOTENCY_KEY_IN_USE"] },
                "423": { ...errorBody(["LOCKED"]), "x-portico-retryable": true },
              },
            },
          },
        },
      },
      key: "POST /items",
      want: { retryableCodes: ["IDEMPOTENCY_KEY_IN_USE", "LOCKED"] },
    },
    {
      name: "security: [] is public: every credential kind of the API may call it, and the table says so",
      given: { paths: { "/login": { post: { security: [], responses: ok } } } },
      key: "POST /login",
      want: { security: [], kinds: ["none", "bearer"] },
    },
    {
      name: "an operation's own security replaces the default; the same as the default is left out",
      given: {
        components: { securitySchemes: { key: { type: "apiKey", in: "header", name: "X-Api-Key" } } },
        security: [{ bearer: [] }, { key: [] }],
        paths: {
          "/tenant/keys": { get: { security: [{ bearer: ["admin"] }], responses: ok } },
          "/companies": { get: { security: [{ bearer: [] }, { key: [] }], responses: ok } },
        },
      },
      key: "GET /tenant/keys",
      want: { security: [{ bearer: ["admin"] }], kinds: ["none", "bearer"] },
    },
    {
      name: "OAuth 2 and OpenID Connect schemes are bearer credentials",
      given: {
        components: {
          securitySchemes: {
            oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://auth.test/token", scopes: {} } } },
            oidc: { type: "openIdConnect", openIdConnectUrl: "https://auth.test/.well-known/openid-configuration" },
          },
        },
        paths: { "/items": { get: { security: [{ oauth: ["items:read"] }, { oidc: [] }], responses: ok } } },
      },
      key: "GET /items",
      want: { kinds: ["none", "bearer"] },
    },
  ];

  it.each(cases)("$name", ({ given, key, want }) => {
    const model = readApiModel(specText(given));
    expect(summary(model.operations.find((op) => op.key === key))).toMatchObject(want as Record<string, unknown>);
  });

  it("leaves out retryableCodes when no error response is marked", () => {
    const model = readApiModel(specText({ paths: { "/items": { post: { responses: { ...ok, "409": errorBody(["SKU_ALREADY_EXISTS"]) } } } } }));
    expect(model.operations[0]).not.toHaveProperty("retryableCodes");
  });

  it("leaves out security equal to the default", () => {
    const model = readApiModel(
      specText({ paths: { "/companies": { get: { security: [{ bearer: [] }], responses: ok } } } }),
    );
    expect(model.operations[0]).not.toHaveProperty("security");
  });

  it("sorts operations by path, then method", () => {
    const model = readApiModel(
      specText({
        paths: {
          "/b": { post: { responses: ok }, get: { responses: ok } },
          "/a": { delete: { responses: ok } },
        },
      }),
    );
    expect(model.operations.map((op) => op.key)).toEqual(["DELETE /a", "GET /b", "POST /b"]);
  });
});

describe("readApiModel: API-level metadata", () => {
  const cases: { name: string; given: Record<string, unknown>; want: Record<string, unknown> }[] = [
    {
      name: "client name and package from info.x-portico-client; API name lower-cased",
      given: {},
      want: { name: "test", clientName: "Test", packageName: "@example/test", title: "Test API" },
    },
    {
      name: "x-portico-client at the document root works too",
      given: { info: { "x-portico-client": undefined }, "x-portico-client": { name: "Erip", package: "@erip/api-client" } },
      want: { name: "erip", clientName: "Erip" },
    },
    {
      name: "servers with environments; URL templates kept, variables described (never filled in)",
      given: {
        servers: [
          { url: "https://api.test", "x-portico-environment": "production" },
          { url: "https://{region}.sandbox.test", "x-portico-environment": "sandbox", variables: { region: { default: "eu" } } },
          { url: "http://localhost:8080" },
        ],
      },
      want: {
        servers: [
          { url: "https://api.test", environment: "production" },
          { url: "https://{region}.sandbox.test", environment: "sandbox", variables: { region: { default: "eu" } } },
          { url: "http://localhost:8080" },
        ],
      },
    },
    {
      name: "security schemes: credential format, environments, OAuth flows and default token lifetime",
      given: {
        components: {
          securitySchemes: {
            key: {
              type: "apiKey",
              in: "header",
              name: "X-Api-Key",
              "x-portico-credential": { pattern: "^sk_(live|test)_\\w+$", environments: { sk_live_: "production", sk_test_: "sandbox" } },
            },
            oauth: {
              type: "oauth2",
              "x-portico-default-token-lifetime": 3600,
              flows: {
                authorizationCode: {
                  authorizationUrl: "https://hub.test/auth/authorize",
                  tokenUrl: "https://api.test/auth/token",
                  refreshUrl: "https://api.test/auth/refresh",
                  scopes: {},
                },
              },
            },
          },
        },
      },
      want: {
        securitySchemes: {
          bearer: { descriptor: { type: "http", scheme: "bearer" }, kind: "bearer" },
          key: {
            descriptor: {
              type: "apiKey",
              in: "header",
              name: "X-Api-Key",
              format: { pattern: "^sk_(live|test)_\\w+$", environments: { sk_live_: "production", sk_test_: "sandbox" } },
            },
            kind: "apiKey",
          },
          oauth: {
            descriptor: {
              type: "oauth2",
              flows: {
                authorizationCode: { tokenUrl: "https://api.test/auth/token" },
              },
              defaultLifetimeSeconds: 3600,
            },
            kind: "bearer",
          },
        },
        kinds: ["none", "bearer", "apiKey"],
      },
    },
    {
      name: "claims and events",
      given: {
        "x-portico-claims": { namespace: "https://atrope.dev/claims/", tenant: "tenant_id", permissions: "permissions" },
        "x-portico-events": { path: "/v1/events", schema: { $ref: "#/components/schemas/Event" } },
        components: { schemas: { Event: { type: "object" } } },
      },
      want: {
        claims: { namespace: "https://atrope.dev/claims/", tenant: "tenant_id", permissions: "permissions" },
        events: { path: "/v1/events", schemaName: "Event" },
      },
    },
  ];

  it.each(cases)("$name", ({ given, want }) => {
    expect(readApiModel(specText(given))).toMatchObject(want);
  });
});
