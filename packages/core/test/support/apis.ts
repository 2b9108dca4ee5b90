/**
 * The APIs core's tests call, as codegen describes them (descriptors), a loose `paths` type to call
 * any path of them, and `clientFor`, the public `createClient` every test builds its client with,
 * retries off so no test waits on a backoff.
 *
 * Five are the seed APIs (auth-relevant parts only). "shop" has the traits the issue-12 promises
 * are about: two schemes where one request carries one (an API key header, or a bearer token:
 * Atlas's "never both"), secret prefixes naming environments, a production and a sandbox server,
 * a declared error with a code, an idempotent POST and a binary upload. "plain" is a bearer API
 * whose scheme declares no token format.
 */
import { allStages, createClient, type ApiDescriptor, type ClientOptions, type CredentialKind, type MediaType, type PorticoClient } from "../../src/index.js";

// --- the seed APIs ------------------------------------------------------------------------------

export const ims: ApiDescriptor = {
  name: "ims",
  servers: [{ url: "https://api.atrope.dev", environment: "production" }],
  securitySchemes: { bearerAuth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://atrope.us.auth0.com/oauth/token" } } } },
  security: [{ bearerAuth: [] }],
  operations: {
    "GET /v1/items": { security: [{ bearerAuth: ["catalog:read"] }] },
    "POST /v1/adjustments": { security: [{ bearerAuth: ["inventory:write"] }] },
  },
  claims: { namespace: "https://atrope.dev/claims/", tenant: "tenant_id", permissions: "permissions" },
};

export const eudr: ApiDescriptor = {
  name: "eudr",
  servers: [{ url: "https://backend.joinnentropy.com/api/v1/integration", environment: "production" }],
  securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", format: { pattern: "^eudr_live_[0-9a-f]{48}$" } } },
  security: [{ bearerAuth: [] }],
  operations: { "GET /suppliers": { security: [{ bearerAuth: ["integration:suppliers:read"] }] } },
};

export const atlas: ApiDescriptor = {
  name: "atlas",
  servers: [
    { url: "https://api.atlas-softpos.com", environment: "production" },
    { url: "https://sandbox.api.atlas-softpos.com", environment: "sandbox" },
  ],
  securitySchemes: {
    apiKeyAuth: { type: "apiKey", in: "header", name: "X-Api-Key", format: { environments: { sk_live_: "production", sk_test_: "sandbox" } } },
    bearerAuth: {
      type: "oauth2",
      flows: { clientCredentials: { tokenUrl: "https://api.atlas-softpos.com/v1/token" } },
      defaultLifetimeSeconds: 3600,
      format: { environments: { cs_live_: "production", cs_test_: "sandbox" } },
    },
  },
  security: [{ apiKeyAuth: [] }, { bearerAuth: [] }],
  operations: {
    "GET /v1/device/health": { security: [{ apiKeyAuth: [] }, { bearerAuth: ["terminal:read"] }] },
    "POST /v1/transaction/sale": { security: [{ apiKeyAuth: [] }, { bearerAuth: ["transactions:write"] }], idempotent: true },
  },
};

export const arrotech: ApiDescriptor = {
  name: "arrotech",
  servers: [{ url: "https://prod.api.arrotechsolutions.com", environment: "production" }],
  securitySchemes: {
    bearerAuth: { type: "http", scheme: "bearer" },
    oauth: { type: "oauth2", flows: { authorizationCode: { tokenUrl: "https://hub.arrotechsolutions.com/auth/token" } } },
  },
  security: [{ bearerAuth: [] }, { oauth: ["data:read"] }],
  operations: { "GET /chat/providers": {} },
};

export const erip: ApiDescriptor = {
  name: "erip",
  servers: [{ url: "https://api.erip.io", environment: "production" }],
  securitySchemes: { jwtAuth: { type: "http", scheme: "bearer" }, apiKeyAuth: { type: "apiKey", in: "header", name: "X-Api-Key" } },
  security: [{ jwtAuth: [] }, { apiKeyAuth: [] }],
  operations: {
    "GET /v1/companies/search": {},
    "GET /v1/tenant/credits": { security: [{ jwtAuth: [] }] },
    "POST /v1/auth/request-login-link": { security: [] },
  },
};

// --- the promise tests' APIs --------------------------------------------------------------------

export const PRODUCTION = "https://api.shop.example";
export const SANDBOX = "https://sandbox.api.shop.example";

/** A Standard Schema that accepts any object carrying a string `code` (what codegen emits, loosely). */
const errorBody = {
  "~standard": {
    version: 1,
    vendor: "test",
    validate: (value: unknown) =>
      typeof value === "object" && value !== null && typeof (value as { code?: unknown }).code === "string" ? { value } : { issues: [{ message: "not an error body" }] },
  },
};

export const shop: ApiDescriptor = {
  name: "shop",
  servers: [
    { url: PRODUCTION, environment: "production" },
    { url: SANDBOX, environment: "sandbox" },
  ],
  securitySchemes: {
    apiKeyAuth: { type: "apiKey", in: "header", name: "X-Api-Key", format: { environments: { sk_live_: "production", sk_test_: "sandbox" } } },
    bearerAuth: {
      type: "http",
      scheme: "bearer",
      format: { pattern: "^tok_(live|test)_[0-9a-z]{24}$", environments: { tok_live_: "production", tok_test_: "sandbox" } },
    },
  },
  security: [{ apiKeyAuth: [] }, { bearerAuth: [] }],
  operations: {
    "GET /v1/items": {},
    "GET /v1/keys/current": { errors: { "400": ["KEY_REVOKED"] } },
    "POST /v1/orders": { idempotent: true },
    "POST /v1/uploads": { body: { mediaType: "application/octet-stream" } },
  },
  errorSchemas: { "GET /v1/keys/current": { "400": errorBody } },
};

/** An API whose bearer scheme declares no format: any token the endpoint issues can be sent. */
export const plain: ApiDescriptor = {
  name: "plain",
  servers: [{ url: PRODUCTION, environment: "production" }],
  securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
  security: [{ bearerAuth: [] }],
  operations: { "GET /v1/items": {} },
};

// --- the client every test builds -----------------------------------------------------------

type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };

/**
 * Any operation of the tests: optional query and headers, any JSON or binary body; an object on
 * 200 (the auth tests' API answers `{ ok, via, tenant? }`, a test's own handler what it likes).
 */
interface LooseOperation {
  parameters: { query?: Record<string, string>; header?: Record<string, string>; path?: never; cookie?: never };
  requestBody?: { content: { "application/json": unknown; "application/octet-stream": unknown } };
  responses: { 200: Json<Record<string, unknown>>; default: Json<unknown> };
}

interface LoosePathItem {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: LooseOperation;
  put: LooseOperation;
  post: LooseOperation;
  delete: LooseOperation;
  options?: never;
  head?: never;
  patch: LooseOperation;
  trace?: never;
}

/** Every path of every test API. */
export type LoosePaths = Record<string, LoosePathItem>;

export type TestClient = PorticoClient<LoosePaths, MediaType, false>;

/**
 * `createClient` as a user calls it, retries off unless the test turns them on. Typed as
 * returning results; with `throwOnError: true` its calls throw instead (as the canary checks).
 */
export function clientFor(descriptor: ApiDescriptor, options: ClientOptions = {}): TestClient {
  return createClient<LoosePaths, CredentialKind, MediaType, false>(descriptor, { retry: false, ...options } as ClientOptions<CredentialKind, false>, allStages);
}
