/** In-memory auth state of the Arrotech sandbox: signing secret, keys, users, apps, codes, refresh tokens, counters. */
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import type { ArrotechConfig } from "./config.js";
import type { ArrotechPrincipal } from "./env.js";
import { API_KEYS, createApps, hashPassword, sha256, USERS, type ApiKey, type GrantType, type HubUser, type OAuthApp, type OAuthApps } from "./identities.js";
import type { Scope } from "./scopes.js";

/** Audience of every JWT the sandbox issues. */
export const AUDIENCE = "arrotech-hub";

export interface AuthorizationCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly user: HubUser;
  readonly scopes: readonly Scope[];
  readonly codeChallenge?: string;
  readonly expiresAt: number;
}

export interface RefreshGrant {
  readonly family: string;
  readonly clientId: string;
  readonly user: HubUser;
  readonly scopes: readonly Scope[];
  used: boolean;
}

/** Token requests seen by `POST /auth/token` (refresh grants included), and logins. */
export interface TokenCounters {
  /** Every token request, successful or not. */
  total: number;
  /** Successful token responses per grant type. */
  byGrant: Record<GrantType, number>;
  byClient: Record<string, number>;
  /** Successful `POST /auth/login` calls. */
  logins: number;
}

export const newCounters = (): TokenCounters => ({ total: 0, byGrant: { client_credentials: 0, authorization_code: 0, refresh_token: 0 }, byClient: {}, logins: 0 });

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");

export interface AuthState {
  readonly config: ArrotechConfig;
  readonly now: () => number;
  readonly secret: Uint8Array;
  readonly apps: OAuthApps;
  readonly apiKeys: Map<string, ApiKey & { revoked: boolean }>;
  readonly users: Map<string, { user: HubUser; passwordHash: string }>;
  readonly codes: Map<string, AuthorizationCode>;
  readonly refreshTokens: Map<string, RefreshGrant>;
  readonly revokedFamilies: Set<string>;
  readonly counters: TokenCounters;
  denyNext: number;
  findApp(clientId: string): OAuthApp | undefined;
  /** Signs an HS256 access token for a principal. */
  accessToken(principal: Omit<ArrotechPrincipal, "scopes"> & { scopes: readonly Scope[] }, expiresIn?: number): Promise<{ token: string; expiresIn: number }>;
}

export function createAuthState(config: ArrotechConfig, now: () => number): AuthState {
  const apps = createApps();
  const all: OAuthApp[] = Object.values(apps);
  const secret = new Uint8Array(randomBytes(32));
  return {
    config,
    now,
    secret,
    apps,
    apiKeys: new Map(Object.values(API_KEYS).map((k) => [sha256(k.key), { ...k, revoked: false }])),
    users: new Map(Object.values(USERS).map((u) => [u.email.toLowerCase(), { user: u, passwordHash: hashPassword(u.password) }])),
    codes: new Map(),
    refreshTokens: new Map(),
    revokedFamilies: new Set(),
    counters: newCounters(),
    denyNext: 0,
    findApp: (clientId) => all.find((a) => a.clientId === clientId),
    async accessToken(p, expiresIn = config.tokenLifetimeSeconds) {
      const iat = Math.floor(now() / 1000);
      const token = await new SignJWT({ scope: p.scopes.join(" "), ws: p.workspaceId, pt: p.type })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setIssuer(config.issuer)
        .setAudience(AUDIENCE)
        .setSubject(p.id)
        .setIssuedAt(iat)
        .setExpirationTime(iat + expiresIn)
        .setJti(randomToken(12))
        .sign(secret);
      return { token, expiresIn };
    },
  };
}
