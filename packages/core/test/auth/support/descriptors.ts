/**
 * Descriptors of the five seed APIs as codegen emits them (auth-relevant parts only), a loose
 * `paths` type to call any path of them through `createClient`, and `clientFor`, the client every
 * auth test builds: the public `createClient`, with retries off so no test waits on a backoff.
 */
import { createClient, type ApiDescriptor, type ClientOptions, type CredentialKind, type MediaType, type PorticoClient } from "../../../src/index.js";

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
    oauth: { type: "oauth2", flows: { authorizationCode: { authorizationUrl: "https://hub.arrotechsolutions.com/auth/authorize", tokenUrl: "https://hub.arrotechsolutions.com/auth/token" } } },
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

/** What the loopback API answers on success. */
export interface ApiAnswer {
  readonly ok: boolean;
  readonly via: string;
  readonly tenant?: string;
}

type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };

/** Any operation of the tests: optional query, headers and JSON body; the loopback API's answer on 200. */
interface LooseOperation {
  parameters: { query?: Record<string, string>; header?: Record<string, string>; path?: never; cookie?: never };
  requestBody?: { content: { "application/json": Record<string, unknown> } };
  responses: { 200: Json<ApiAnswer>; default: Json<unknown> };
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
 * `createClient` as a user calls it, retries off (no test waits on a backoff). Typed as returning
 * results; with `throwOnError: true` its calls throw instead (as the canary checks).
 */
export function clientFor(descriptor: ApiDescriptor, options: ClientOptions = {}): TestClient {
  return createClient<LoosePaths, CredentialKind, MediaType, false>(descriptor, { retry: false, ...options } as ClientOptions<CredentialKind, false>);
}
