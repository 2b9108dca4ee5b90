/**
 * Seeded Arrotech identities: two workspaces, Hub users (email + password), API keys of both
 * environments (`ak_live_` / `ak_test_` + 32 alphanumerics) and Developer Portal OAuth apps.
 * Secrets are deterministic so docs and the demo can quote them; the server keeps only hashes.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import type { ArrotechEnvironment } from "./config.js";
import { READ_SCOPES, SCOPES, type Scope } from "./scopes.js";

export type GrantType = "client_credentials" | "authorization_code" | "refresh_token";

const derive = (label: string, length: number): string => {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`arrotech-sandbox:${label}:${i}`).digest("base64").replace(/[^A-Za-z0-9]/g, "");
  return out.slice(0, length);
};

/** SHA-256 hex digest: how secrets and refresh tokens are kept at rest. */
export { sha256Hex as sha256 } from "../../framework/fingerprint.js";

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const WORKSPACES = {
  acme: { id: "ws_acme", name: "Acme Analytics" },
  umbrella: { id: "ws_umbrella", name: "Umbrella Labs" },
} as const;

export interface HubUser {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: "admin" | "developer" | "member";
  readonly workspaceId: string;
  /** Sandbox-only, for tests and the demo; the server keeps a scrypt hash. */
  readonly password: string;
}

export const USERS = {
  acmeDeveloper: { id: "usr_acme_dev", email: "dev@acme.example", name: "Dana Developer", role: "developer", workspaceId: WORKSPACES.acme.id, password: "sandbox-password-acme" },
  umbrellaAdmin: { id: "usr_umbrella_admin", email: "admin@umbrella.example", name: "Alex Admin", role: "admin", workspaceId: WORKSPACES.umbrella.id, password: "sandbox-password-umbrella" },
} as const satisfies Record<string, HubUser>;

export interface ApiKey {
  readonly id: string;
  readonly key: string;
  readonly environment: ArrotechEnvironment;
  readonly workspaceId: string;
  readonly scopes: readonly Scope[];
}

const apiKey = (name: string, environment: ArrotechEnvironment, workspaceId: string, scopes: readonly Scope[]): ApiKey => ({
  id: `key_${derive(`${name}:id`, 12)}`,
  key: `${environment === "production" ? "ak_live_" : "ak_test_"}${derive(`${name}:key`, 32)}`,
  environment,
  workspaceId,
  scopes,
});

export const API_KEYS = {
  acmeLive: apiKey("acme-live", "production", WORKSPACES.acme.id, SCOPES),
  acmeTest: apiKey("acme-test", "sandbox", WORKSPACES.acme.id, SCOPES),
  acmeTestReadOnly: apiKey("acme-test-ro", "sandbox", WORKSPACES.acme.id, READ_SCOPES),
  umbrellaLive: apiKey("umbrella-live", "production", WORKSPACES.umbrella.id, SCOPES),
  umbrellaTest: apiKey("umbrella-test", "sandbox", WORKSPACES.umbrella.id, SCOPES),
} as const satisfies Record<string, ApiKey>;

/** The format of every API key (`x-portico-credential.pattern` in the spec, first alternative). */
export const API_KEY_PATTERN = /^ak_(live|test)_[A-Za-z0-9]{32}$/;

export interface OAuthApp {
  readonly name: string;
  readonly clientId: string;
  /** Absent for public clients (SPAs, native apps), which must use PKCE. */
  readonly clientSecret?: string;
  readonly workspaceId: string;
  readonly scopes: readonly Scope[];
  readonly grantTypes: readonly GrantType[];
  /** Registered callbacks; loopback ones match on any port (RFC 8252 §7.3). */
  readonly redirectUris: string[];
}

const LOOPBACK = ["http://127.0.0.1/callback", "http://localhost/callback"];

/** Fresh OAuth apps per sandbox (redirect URIs can be registered at run time). */
export function createApps() {
  return {
    server: { name: "acme-server", clientId: `app_${derive("server:id", 16)}`, clientSecret: derive("server:secret", 48), workspaceId: WORKSPACES.acme.id, scopes: SCOPES, grantTypes: ["client_credentials"], redirectUris: [] },
    umbrellaServer: { name: "umbrella-server", clientId: `app_${derive("umbrella-server:id", 16)}`, clientSecret: derive("umbrella-server:secret", 48), workspaceId: WORKSPACES.umbrella.id, scopes: SCOPES, grantTypes: ["client_credentials"], redirectUris: [] },
    web: { name: "third-party-web", clientId: `app_${derive("web:id", 16)}`, clientSecret: derive("web:secret", 48), workspaceId: WORKSPACES.acme.id, scopes: SCOPES, grantTypes: ["authorization_code", "refresh_token"], redirectUris: ["https://app.partner.example/callback", ...LOOPBACK] },
    spa: { name: "browser-app", clientId: `app_${derive("spa:id", 16)}`, workspaceId: WORKSPACES.acme.id, scopes: SCOPES, grantTypes: ["authorization_code", "refresh_token"], redirectUris: [...LOOPBACK] },
  } satisfies Record<string, OAuthApp>;
}

export type OAuthApps = ReturnType<typeof createApps>;

/** scrypt hash `salt:hash` of a password. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString("hex")}:${scryptSync(password, salt, 32, { N: 1024 }).toString("hex")}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [salt, hash] = stored.split(":");
  if (!salt || !hash) return false;
  return safeEqual(scryptSync(password, Buffer.from(salt, "hex"), 32, { N: 1024 }).toString("hex"), hash);
}

export { redirectUriAllowed } from "../../framework/redirect-uri.js";
