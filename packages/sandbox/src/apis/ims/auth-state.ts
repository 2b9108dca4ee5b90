/** In-memory state of the Auth0-style issuer: clients, users, codes, refresh tokens, counters. */
import { randomBytes } from "node:crypto";
import type { JWTPayload } from "jose";
import type { ImsConfig } from "./config.js";
import { createClients, sha256, USERS, type GrantType, type ImsClient, type ImsClients, type ImsUser } from "./identities.js";
import type { Permission } from "./permissions.js";
import type { Signer } from "./signing.js";

export interface AuthorizationCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly user: ImsUser;
  readonly permissions: readonly Permission[];
  readonly scope: string;
  readonly codeChallenge?: string;
  readonly nonce?: string;
  readonly expiresAt: number;
}

export interface RefreshGrant {
  readonly family: string;
  readonly clientId: string;
  readonly user: ImsUser;
  readonly permissions: readonly Permission[];
  readonly scope: string;
  used: boolean;
}

/** Token requests seen by the issuer (tests and the demo read these). */
export interface TokenCounters {
  /** Every `POST /oauth/token`, successful or not. */
  total: number;
  /** Issued tokens per tenant id (the tenant written into the token). */
  byTenant: Record<string, number>;
  byGrant: Record<GrantType, number>;
  byClient: Record<string, number>;
}

export interface AuthState {
  readonly config: ImsConfig;
  readonly signer: Signer;
  readonly now: () => number;
  readonly clients: ImsClients;
  readonly users: typeof USERS;
  readonly codes: Map<string, AuthorizationCode>;
  readonly refreshTokens: Map<string, RefreshGrant>;
  readonly revokedFamilies: Set<string>;
  readonly counters: TokenCounters;
  denyNext: number;
  findClient(clientId: string): ImsClient | undefined;
  /** Signs an access token for `sub` with the namespaced tenant and permission claims. */
  accessToken(input: AccessTokenInput): Promise<{ token: string; expiresIn: number }>;
}

export interface AccessTokenInput {
  readonly sub: string;
  readonly tenantId: string;
  readonly permissions: readonly Permission[];
  readonly clientId: string;
  readonly clientCredentials?: boolean;
  /** Overrides the configured lifetime (tests). */
  readonly expiresIn?: number;
  /** Extra or overriding claims (tests: wrong audience, missing tenant, ...). */
  readonly claims?: JWTPayload;
}

export function newCounters(): TokenCounters {
  return { total: 0, byTenant: {}, byGrant: { client_credentials: 0, authorization_code: 0, refresh_token: 0 }, byClient: {} };
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");

export function createAuthState(config: ImsConfig, signer: Signer, now: () => number): AuthState {
  const clients = createClients();
  const all: ImsClient[] = Object.values(clients);
  return {
    config,
    signer,
    now,
    clients,
    users: USERS,
    codes: new Map(),
    refreshTokens: new Map(),
    revokedFamilies: new Set(),
    counters: newCounters(),
    denyNext: 0,
    findClient: (clientId) => all.find((c) => c.clientId === clientId),
    async accessToken(input) {
      const iat = Math.floor(now() / 1000);
      const expiresIn = input.expiresIn ?? config.tokenLifetimeSeconds;
      const ns = config.claimNamespace;
      const token = await signer.sign({
        iss: config.issuer,
        sub: input.sub,
        aud: config.audience,
        iat,
        exp: iat + expiresIn,
        azp: input.clientId,
        scope: input.permissions.join(" "),
        ...(input.clientCredentials ? { gty: "client-credentials" } : {}),
        [`${ns}tenant_id`]: input.tenantId,
        [`${ns}permissions`]: [...input.permissions],
        ...input.claims,
      });
      return { token, expiresIn };
    },
  };
}

/** Hash under which an authorization code or refresh token is stored. */
export const tokenKey = sha256;
