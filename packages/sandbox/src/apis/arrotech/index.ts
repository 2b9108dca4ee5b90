/**
 * The Arrotech Hub sandbox: the API and `/auth/token` on the `api` origin, `/auth/authorize` and
 * `/auth/login` on the `hub` origin. By default it plays the sandbox environment (accepts
 * `ak_test_` keys, answers a live key `401 UNAUTHORIZED`); `options.environment: "production"`
 * flips that, the seed's rule that sandbox keys against production get `401 Unauthorized`.
 */
import { fingerprint } from "../../framework/fingerprint.js";
import type { SandboxSummary } from "../../framework/summary.js";
import type { ApiSandbox, SandboxContext } from "../../types.js";
import { createApiApp } from "./api-app.js";
import { AUDIENCE, createAuthState, newCounters, type TokenCounters } from "./auth-state.js";
import { resolveArrotechConfig, type ArrotechEnvironment } from "./config.js";
import type { ArrotechPrincipal } from "./env.js";
import { createHubApp } from "./hub-app.js";
import { API_KEYS, sha256, USERS, WORKSPACES, type OAuthApps } from "./identities.js";
import { SCOPES, type Scope } from "./scopes.js";
import { createWorkspaceStore } from "./workspace-store.js";

export type { ApiKey, HubUser, OAuthApp } from "./identities.js";
export type { TokenCounters as ArrotechTokenCounters } from "./auth-state.js";
export { SCOPES as ARROTECH_SCOPES, type Scope as ArrotechScope } from "./scopes.js";

/** Test and demo handles of the Arrotech sandbox. */
export type ArrotechControl = {
  /** Which deployment this server plays (`sandbox` unless `options.environment` says `production`). */
  readonly environment: ArrotechEnvironment;
  /** `iss` of issued JWTs (`aud` is `arrotech-hub`). */
  readonly issuer: string;
  readonly audience: string;
  readonly tokenUrl: string;
  readonly authorizeUrl: string;
  readonly loginUrl: string;
  readonly tokenLifetimeSeconds: number;
  readonly workspaces: typeof WORKSPACES;
  /** Users for `/auth/login` and the authorize page (`login_hint`). */
  readonly users: typeof USERS;
  /** `acmeLive`/`umbrellaLive` (`ak_live_`), `acmeTest`/`umbrellaTest` (`ak_test_`), `acmeTestReadOnly` (read scopes). */
  readonly apiKeys: typeof API_KEYS;
  /** `server`/`umbrellaServer` (client credentials), `web` (confidential, code), `spa` (public, code + PKCE). */
  readonly clients: OAuthApps;
  /** Live counters of `/auth/token` (refresh grants included) and `/auth/login`. */
  readonly tokenRequests: TokenCounters;
  resetTokenRequests(): void;
  /** Revokes an API key (by id or raw key): the next request with it is `401 UNAUTHORIZED`. */
  revokeApiKey(idOrKey: string): void;
  /** The next `count` authorization requests end with `error=access_denied` (also: `?sandbox_decision=deny`). */
  denyNextAuthorization(count?: number): void;
  registerRedirectUri(clientId: string, redirectUri: string): void;
  /** Signs an access token directly (tests: short lifetimes, narrow scopes). */
  issueToken(input: { workspaceId: string; scopes?: readonly Scope[]; type?: ArrotechPrincipal["type"]; id?: string; expiresIn?: number }): Promise<string>;
  summary(): SandboxSummary;
};

/** What `createArrotechSandbox` returns. */
export interface ArrotechSandbox extends ApiSandbox {
  readonly control: ArrotechControl;
}

/** Creates the Arrotech sandbox (needs the `api` and `hub` origins). */
export function createArrotechSandbox(ctx: SandboxContext): ArrotechSandbox {
  const config = resolveArrotechConfig(ctx);
  const state = createAuthState(config, () => ctx.now());
  const store = createWorkspaceStore(state.now);
  const api = config.issuer;
  const hub = (ctx.origins["hub"] ?? "").replace(/\/$/, "");
  const usableKey = config.environment === "production" ? API_KEYS.acmeLive : API_KEYS.acmeTest;
  const control: ArrotechControl = {
    environment: config.environment,
    issuer: config.issuer,
    audience: AUDIENCE,
    tokenUrl: `${api}/auth/token`,
    authorizeUrl: `${hub}/auth/authorize`,
    loginUrl: `${api}/auth/login`,
    tokenLifetimeSeconds: config.tokenLifetimeSeconds,
    workspaces: WORKSPACES,
    users: USERS,
    apiKeys: API_KEYS,
    clients: state.apps,
    tokenRequests: state.counters,
    resetTokenRequests() {
      Object.assign(state.counters, newCounters());
    },
    revokeApiKey(idOrKey) {
      const entry = state.apiKeys.get(sha256(idOrKey)) ?? [...state.apiKeys.values()].find((k) => k.id === idOrKey);
      if (!entry) throw new Error("Arrotech sandbox: unknown API key");
      entry.revoked = true;
    },
    denyNextAuthorization(count = 1) {
      state.denyNext += count;
    },
    registerRedirectUri(clientId, redirectUri) {
      const app = state.findApp(clientId);
      if (!app) throw new Error(`Arrotech sandbox: unknown client ${clientId}`);
      app.redirectUris.push(redirectUri);
    },
    async issueToken(input) {
      const { token } = await state.accessToken({ type: input.type ?? "oauth_client", id: input.id ?? "app_sandbox_test", workspaceId: input.workspaceId, scopes: input.scopes ?? SCOPES }, input.expiresIn);
      return token;
    },
    summary: () => ({
      title: `Arrotech Hub (${config.environment} environment)`,
      baseUrl: api,
      tokenUrl: control.tokenUrl,
      values: [
        { label: "OAuth app id (client credentials, form body)", env: "ARROTECH_CLIENT_ID", value: state.apps.server.clientId },
        { label: "SPA client id (browser sign-in: Authorization Code + PKCE, redirect http://127.0.0.1:<port>/callback)", env: "ARROTECH_SPA_CLIENT_ID", value: state.apps.spa.clientId },
        { label: "authorize URL (browser sign-in; login_hint=dev@acme.example picks the user)", env: "ARROTECH_AUTHORIZE_URL", value: control.authorizeUrl },
      ],
      credentials: [
        { label: `API key (${config.environment}, Acme, all scopes)`, fingerprint: fingerprint(usableKey.key), env: "ARROTECH_API_KEY", secret: usableKey.key },
        { label: "OAuth app secret (client credentials)", fingerprint: fingerprint(state.apps.server.clientSecret), env: "ARROTECH_CLIENT_SECRET", secret: state.apps.server.clientSecret },
      ],
      commands: [
        `curl -s ${api}/chat/providers -H "Authorization: Bearer $ARROTECH_API_KEY"`,
        `curl -s -X POST ${control.tokenUrl} -H "Content-Type: application/x-www-form-urlencoded" -d grant_type=client_credentials -d "client_id=$ARROTECH_CLIENT_ID" -d "client_secret=$ARROTECH_CLIENT_SECRET" -d "scope=data:read workflow:execute"`,
      ],
    }),
  };
  return { apps: { api: createApiApp(state, store), hub: createHubApp(state) }, control };
}
