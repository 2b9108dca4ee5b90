/** Descriptors of the five seed APIs as codegen would emit them (auth-relevant parts only). */
import type { ApiDescriptor } from "../../../src/spec/descriptor.js";

export const ims: ApiDescriptor = {
  name: "ims",
  servers: [{ url: "https://api.atrope.dev", environment: "production" }],
  securitySchemes: { bearerAuth: { type: "oauth2" } },
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
  securitySchemes: { bearerAuth: { type: "bearer", format: { pattern: "^eudr_live_[0-9a-f]{48}$" } } },
  security: [{ bearerAuth: [] }],
  operations: { "GET /suppliers": { security: [{ bearerAuth: ["integration:suppliers:read"] }] } },
};

export const atlas: ApiDescriptor = {
  name: "atlas",
  servers: [
    { url: "https://api.atlas-softpos.com", environment: "production" },
    { url: "https://sandbox.atlas-softpos.com", environment: "sandbox" },
  ],
  securitySchemes: {
    apiKeyAuth: { type: "apiKey", in: "header", name: "X-Api-Key", format: { environments: { sk_live_: "production", sk_test_: "sandbox" } } },
    bearerAuth: { type: "oauth2", defaultLifetimeSeconds: 3600, format: { environments: { cs_live_: "production", cs_test_: "sandbox" } } },
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
  securitySchemes: { bearerAuth: { type: "bearer" }, oauth: { type: "oauth2" } },
  security: [{ bearerAuth: [] }, { oauth: ["data:read"] }],
  operations: { "GET /chat/providers": {} },
};

export const erip: ApiDescriptor = {
  name: "erip",
  servers: [{ url: "https://api.erip.test" }],
  securitySchemes: { jwtAuth: { type: "bearer" }, apiKeyAuth: { type: "apiKey", in: "header", name: "X-Api-Key" } },
  security: [{ jwtAuth: [] }, { apiKeyAuth: [] }],
  operations: {
    "GET /v1/companies/search": {},
    "GET /v1/tenant/credits": { security: [{ jwtAuth: [] }] },
    "POST /v1/auth/request-login-link": { security: [] },
  },
};
