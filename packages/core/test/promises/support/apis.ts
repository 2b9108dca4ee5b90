/**
 * The API the promise tests call, as codegen describes it (a descriptor), and `clientFor`, the
 * public `createClient` every test builds its client with. "shop" has the traits the issue's
 * promises are about: two schemes where one request carries one (an API key header, or a bearer
 * token: Atlas's "never both"), secret prefixes naming environments, a production and a sandbox
 * server, a declared error with a code, an idempotent POST and a binary upload.
 */
import { createClient, type ApiDescriptor, type ClientOptions, type CredentialKind, type MediaType, type PorticoClient } from "../../../src/index.js";

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

type Json<T> = { headers: { [name: string]: unknown }; content: { "application/json": T } };

/** Any operation of the tests: optional query and headers, any body; an object on 200. */
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

export type LoosePaths = Record<string, LoosePathItem>;
export type TestClient = PorticoClient<LoosePaths, MediaType, false>;

/** `createClient` as a user calls it; retries off unless the test turns them on. */
export function clientFor(options: ClientOptions = {}, descriptor: ApiDescriptor = shop): TestClient {
  return createClient<LoosePaths, CredentialKind, MediaType, false>(descriptor, { retry: false, ...options } as ClientOptions<CredentialKind, false>);
}

/** A secret made of letters only, so no generic pattern (JWT, key shapes) would catch it: only redaction of what the client holds does. */
export function letters(seed: string, length = 32): string {
  let out = "";
  let n = 0;
  for (const ch of seed) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  while (out.length < length) {
    n = (n * 1103515245 + 12345) >>> 0;
    out += String.fromCharCode(97 + ((n >>> 16) % 26));
  }
  return out;
}
