/**
 * The Atrope IMS sandbox: an Auth0-style issuer on the `auth` origin and the inventory API on the
 * `api` origin. See `control` for seeded tenants, clients, users and token counters.
 */
import { fingerprint } from "../../framework/fingerprint.js";
import type { WindowTally } from "../../framework/rate-limit.js";
import type { SandboxSummary } from "../../framework/summary.js";
import type { ApiSandbox, SandboxContext } from "../../types.js";
import { createApiApp } from "./api-app.js";
import { createAuthState, newCounters, type AccessTokenInput, type TokenCounters } from "./auth-state.js";
import { resolveImsConfig } from "./config.js";
import { TENANTS, USERS, type ImsClients } from "./identities.js";
import { createIssuerApp } from "./issuer.js";
import { PERMISSIONS, type Permission } from "./permissions.js";
import { createSigner } from "./signing.js";
import { createTenantStore } from "./tenant-store.js";

export type { ImsClient, ImsTenant, ImsUser } from "./identities.js";
export type { TokenCounters } from "./auth-state.js";
export type { WindowTally } from "../../framework/rate-limit.js";
export { PERMISSIONS as IMS_PERMISSIONS, type Permission as ImsPermission } from "./permissions.js";

/** Test and demo handles of the IMS sandbox. */
export type ImsControl = {
  /** `iss` of issued tokens (the `auth` origin with a trailing slash, like Auth0). */
  readonly issuer: string;
  readonly audience: string;
  readonly claimNamespace: string;
  readonly tokenUrl: string;
  readonly authorizeUrl: string;
  readonly jwksUrl: string;
  readonly tokenLifetimeSeconds: number;
  readonly tenants: typeof TENANTS;
  /** `acmeM2m`/`globexM2m` (all permissions), `acmeReadOnly`/`globexReadOnly`, `acmeMismatched` (tokens carry Globex's tenant), `spa` (public, PKCE), `webApp` (confidential). */
  readonly clients: ImsClients;
  readonly users: typeof USERS;
  readonly devMode: boolean;
  readonly devTenantId: string;
  readonly devUserId: string;
  /** Live counters; `byTenant` counts issued tokens per tenant. */
  readonly tokenRequests: TokenCounters;
  /** Every rate-limit window so far, by tenant id, oldest first: when it started and how many requests arrived (those past the limit got 429). */
  readonly rateLimitWindows: ReadonlyMap<string, readonly WindowTally[]>;
  resetTokenRequests(): void;
  /** Signs an access token directly (tests: custom lifetime, claims, audience). */
  issueToken(input: { tenantId: string; permissions?: readonly Permission[]; sub?: string; expiresIn?: number; claims?: AccessTokenInput["claims"] }): Promise<string>;
  /** The next `count` authorization requests end with `error=access_denied` (also: `?sandbox_decision=deny`). */
  denyNextAuthorization(count?: number): void;
  /** Publishes a new signing key (old tokens keep verifying); returns its `kid`. */
  rotateSigningKey(): Promise<string>;
  /** Registers another redirect URI for an authorization-code client. */
  registerRedirectUri(clientId: string, redirectUri: string): void;
  /** What the CLI prints: URLs, the Acme M2M client, the SPA client id, curl commands. */
  summary(): SandboxSummary;
};

/** What `createImsSandbox` returns. */
export interface ImsSandbox extends ApiSandbox {
  readonly control: ImsControl;
}

/** Creates the IMS sandbox (needs the `api` and `auth` origins). */
export async function createImsSandbox(ctx: SandboxContext): Promise<ImsSandbox> {
  const config = resolveImsConfig(ctx, TENANTS.acme.id);
  const now = () => ctx.now();
  const auth = createAuthState(config, await createSigner(), now);
  const store = createTenantStore(now);
  const rateLimitWindows = new Map<string, WindowTally[]>();
  const authOrigin = (ctx.origins["auth"] ?? "").replace(/\/$/, "");
  const control: ImsControl = {
    issuer: config.issuer,
    audience: config.audience,
    claimNamespace: config.claimNamespace,
    tokenUrl: `${authOrigin}/oauth/token`,
    authorizeUrl: `${authOrigin}/authorize`,
    jwksUrl: `${authOrigin}/.well-known/jwks.json`,
    tokenLifetimeSeconds: config.tokenLifetimeSeconds,
    tenants: TENANTS,
    clients: auth.clients,
    users: USERS,
    devMode: config.devMode,
    devTenantId: config.devTenantId,
    devUserId: config.devUserId,
    tokenRequests: auth.counters,
    rateLimitWindows,
    resetTokenRequests() {
      Object.assign(auth.counters, newCounters());
    },
    async issueToken(input) {
      const { token } = await auth.accessToken({
        sub: input.sub ?? "sandbox|test",
        tenantId: input.tenantId,
        permissions: input.permissions ?? PERMISSIONS,
        clientId: "sandbox-test",
        ...(input.expiresIn !== undefined ? { expiresIn: input.expiresIn } : {}),
        ...(input.claims !== undefined ? { claims: input.claims } : {}),
      });
      return token;
    },
    denyNextAuthorization(count = 1) {
      auth.denyNext += count;
    },
    rotateSigningKey: () => auth.signer.rotate(),
    registerRedirectUri(clientId, redirectUri) {
      const client = auth.findClient(clientId);
      if (!client) throw new Error(`IMS sandbox: unknown client ${clientId}`);
      client.redirectUris.push(redirectUri);
    },
    summary() {
      const m2m = auth.clients.acmeM2m;
      const api = (ctx.origins["api"] ?? "").replace(/\/$/, "");
      return {
        title: "Atrope IMS",
        baseUrl: api,
        tokenUrl: control.tokenUrl,
        values: [
          { label: "M2M client id (Acme, all permissions; client credentials, JSON body)", env: "IMS_CLIENT_ID", value: m2m.clientId },
          { label: "token audience", env: "IMS_AUDIENCE", value: config.audience },
          { label: "SPA client id (browser sign-in: Authorization Code + PKCE, redirect http://127.0.0.1:<port>/callback)", env: "IMS_SPA_CLIENT_ID", value: auth.clients.spa.clientId },
          { label: "authorize URL (browser sign-in; login_hint=ada@acme.example picks the user)", env: "IMS_AUTHORIZE_URL", value: control.authorizeUrl },
        ],
        credentials: [{ label: "M2M client secret (Acme)", fingerprint: fingerprint(m2m.clientSecret), env: "IMS_CLIENT_SECRET", secret: m2m.clientSecret }],
        commands: [
          `export IMS_TOKEN=$(curl -s -X POST ${control.tokenUrl} -H "Content-Type: application/json" -d "{\\"client_id\\":\\"$IMS_CLIENT_ID\\",\\"client_secret\\":\\"$IMS_CLIENT_SECRET\\",\\"audience\\":\\"$IMS_AUDIENCE\\",\\"grant_type\\":\\"client_credentials\\"}" | node -pe "JSON.parse(require('fs').readFileSync(0)).access_token")`,
          `curl -s ${api}/v1/items -H "Authorization: Bearer $IMS_TOKEN"`,
        ],
      };
    },
  };
  return { apps: { api: createApiApp(config, auth, store, now, rateLimitWindows), auth: createIssuerApp(auth) }, control };
}
