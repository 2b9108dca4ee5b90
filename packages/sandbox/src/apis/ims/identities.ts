/**
 * Seeded IMS identities: two tenants, their machine-to-machine and read-only clients, a client whose
 * tokens carry the other tenant's claim (for client-side TENANT_MISMATCH tests), public and confidential
 * authorization-code clients, and users. Values are deterministic so docs and the demo can quote them.
 */
import { createHash } from "node:crypto";
import { PERMISSIONS, READ_PERMISSIONS, type Permission } from "./permissions.js";

export type GrantType = "client_credentials" | "authorization_code" | "refresh_token";

export interface ImsTenant {
  readonly id: string;
  readonly name: string;
}

export interface ImsClient {
  readonly name: string;
  readonly clientId: string;
  /** Absent for public (SPA) clients, which must use PKCE. */
  readonly clientSecret?: string;
  /** Tenant the client was registered for (machine-to-machine clients). */
  readonly tenantId?: string;
  /** Tenant written into this client's tokens when it differs from `tenantId` (misconfigured Auth0 Action). */
  readonly tokenTenantId?: string;
  readonly permissions: readonly Permission[];
  readonly grantTypes: readonly GrantType[];
  /** Registered callbacks; loopback ones match on any port (RFC 8252 §7.3). */
  readonly redirectUris: string[];
}

export interface ImsUser {
  readonly name: string;
  readonly sub: string;
  readonly email: string;
  readonly tenantId: string;
  readonly permissions: readonly Permission[];
}

const derive = (label: string, length: number): string =>
  createHash("sha256").update(`atrope-ims-sandbox:${label}`).digest("base64url").replace(/[-_]/g, "").slice(0, length);
const secret = (label: string): string => derive(`${label}:secret:a`, 40) + derive(`${label}:secret:b`, 24);

export const TENANTS = {
  acme: { id: "3f1c9a6e-8b2d-4c7a-9e5f-1a2b3c4d5e6f", name: "Acme Manufacturing" },
  globex: { id: "9b8e7d6c-5a4b-4c3d-8e2f-0a1b2c3d4e5f", name: "Globex Retail" },
} as const satisfies Record<string, ImsTenant>;

const LOOPBACK_CALLBACKS = ["http://127.0.0.1/callback", "http://localhost/callback"];

function m2m(name: string, tenantId: string, permissions: readonly Permission[], tokenTenantId?: string): ImsClient & { readonly clientSecret: string; readonly tenantId: string } {
  return {
    name,
    clientId: derive(`${name}:id`, 32),
    clientSecret: secret(name),
    tenantId,
    ...(tokenTenantId ? { tokenTenantId } : {}),
    permissions,
    grantTypes: ["client_credentials"],
    redirectUris: [],
  };
}

/** Builds a fresh set of clients (mutable redirect URIs per sandbox instance). */
export function createClients() {
  return {
    acmeM2m: m2m("acme-m2m", TENANTS.acme.id, PERMISSIONS),
    acmeReadOnly: m2m("acme-read-only", TENANTS.acme.id, READ_PERMISSIONS),
    globexM2m: m2m("globex-m2m", TENANTS.globex.id, PERMISSIONS),
    globexReadOnly: m2m("globex-read-only", TENANTS.globex.id, READ_PERMISSIONS),
    /** Registered for Acme, but its tokens carry Globex's tenant claim. */
    acmeMismatched: m2m("acme-mismatched", TENANTS.acme.id, READ_PERMISSIONS, TENANTS.globex.id),
    spa: {
      name: "spa",
      clientId: derive("spa:id", 32),
      permissions: PERMISSIONS,
      grantTypes: ["authorization_code", "refresh_token"],
      redirectUris: [...LOOPBACK_CALLBACKS],
    },
    webApp: {
      name: "web-app",
      clientId: derive("web-app:id", 32),
      clientSecret: secret("web-app"),
      permissions: PERMISSIONS,
      grantTypes: ["authorization_code", "refresh_token"],
      redirectUris: ["https://app.atrope.example/callback", ...LOOPBACK_CALLBACKS],
    },
  } satisfies Record<string, ImsClient>;
}

export type ImsClients = ReturnType<typeof createClients>;

export const USERS = {
  acmeAdmin: { name: "Ada Admin", sub: `auth0|${derive("acme-admin", 24)}`, email: "ada@acme.example", tenantId: TENANTS.acme.id, permissions: PERMISSIONS },
  acmeViewer: { name: "Vic Viewer", sub: `auth0|${derive("acme-viewer", 24)}`, email: "vic@acme.example", tenantId: TENANTS.acme.id, permissions: READ_PERMISSIONS },
  globexAdmin: { name: "Gus Admin", sub: `auth0|${derive("globex-admin", 24)}`, email: "gus@globex.example", tenantId: TENANTS.globex.id, permissions: PERMISSIONS },
} as const satisfies Record<string, ImsUser>;

/** SHA-256 hex digest: how secrets and refresh tokens are kept at rest. */
export { sha256Hex as sha256 } from "../../framework/fingerprint.js";

export { redirectUriAllowed } from "../../framework/redirect-uri.js";
