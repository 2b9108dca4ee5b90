/**
 * Integrations and their API tokens. Tokens are kept as SHA-256 hashes only; the raw token is
 * returned once by `mint` and never stored.
 * @see seeds/nentropy-eudr-auth.txt ("Token Security", "Error Responses")
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { EUDR_SCOPES, type EudrScope } from "./scopes.js";

/** `eudr_live_` followed by 48 lowercase hex characters. */
export const EUDR_TOKEN_PATTERN = /^eudr_live_[0-9a-f]{48}$/;

/** An integration (the token's parent), owned by one organisation. */
export interface Integration {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  active: boolean;
  readonly createdAt: number;
}

/** A stored token: its hash and metadata, never the raw value. */
export interface TokenRecord {
  readonly id: string;
  readonly integrationId: string;
  readonly name: string;
  /** SHA-256 of the raw token, hex. */
  readonly tokenHash: string;
  readonly scopes: readonly EudrScope[];
  readonly createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** The 401/403 codes of the seed's error table. */
export type EudrAuthErrorCode =
  | "AUTHENTICATION_REQUIRED"
  | "INVALID_TOKEN_FORMAT"
  | "INVALID_TOKEN"
  | "TOKEN_REVOKED"
  | "TOKEN_EXPIRED"
  | "INTEGRATION_INACTIVE";

/** Outcome of checking an `Authorization` header. */
export type TokenCheck =
  | { readonly ok: true; readonly token: TokenRecord; readonly integration: Integration }
  | { readonly ok: false; readonly status: 401 | 403; readonly code: EudrAuthErrorCode; readonly message: string };

/** Options of `mint`. */
export interface MintTokenOptions {
  readonly integrationId: string;
  /** @default all nine scopes */
  readonly scopes?: readonly EudrScope[];
  /** @default "API token" */
  readonly name?: string;
  /** Expiry, epoch ms (or a Date); null/absent: never expires. */
  readonly expiresAt?: number | Date | null;
}

/** A freshly minted token: the raw value is only ever here. */
export interface MintedToken {
  readonly id: string;
  readonly token: string;
  readonly integrationId: string;
  readonly scopes: readonly EudrScope[];
  readonly expiresAt: number | null;
}

/** The integration and token registry. */
export interface TokenStore {
  createIntegration(input: { readonly name: string; readonly orgId?: string; readonly id?: string; readonly active?: boolean }): Integration;
  getIntegration(id: string): Integration | undefined;
  setIntegrationActive(id: string, active: boolean): void;
  mint(options: MintTokenOptions): MintedToken;
  revoke(tokenId: string): void;
  /** Sets the token's expiry to now (or to `at`). */
  expire(tokenId: string, at?: number): void;
  /** Checks an `Authorization` header value, in the seed's order of errors. */
  authenticate(authorization: string | undefined): TokenCheck;
  /** Copies of what is stored (hashes and metadata), for tests that prove no raw token is kept. */
  records(): readonly TokenRecord[];
}

const MESSAGES: Record<EudrAuthErrorCode, string> = {
  AUTHENTICATION_REQUIRED: "No Authorization header provided",
  INVALID_TOKEN_FORMAT: "Token doesn't match expected format",
  INVALID_TOKEN: "Token not found or invalid",
  TOKEN_REVOKED: "Token has been revoked",
  TOKEN_EXPIRED: "Token has expired",
  INTEGRATION_INACTIVE: "Parent integration is not active",
};

/** SHA-256 of a secret, hex. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates an empty token store reading time from `now`. */
export function createTokenStore(now: () => number): TokenStore {
  const integrations = new Map<string, Integration>();
  const byHash = new Map<string, TokenRecord>();
  const byId = new Map<string, TokenRecord>();

  const fail = (status: 401 | 403, code: EudrAuthErrorCode): TokenCheck => ({ ok: false, status, code, message: MESSAGES[code] });

  const tokenById = (tokenId: string): TokenRecord => {
    const record = byId.get(tokenId);
    if (!record) throw new RangeError(`no EUDR token with id ${JSON.stringify(tokenId)}`);
    return record;
  };

  return {
    createIntegration({ name, orgId, id, active }) {
      const integration: Integration = { id: id ?? randomUUID(), orgId: orgId ?? randomUUID(), name, active: active ?? true, createdAt: now() };
      integrations.set(integration.id, integration);
      return integration;
    },
    getIntegration: (id) => integrations.get(id),
    setIntegrationActive(id, active) {
      const integration = integrations.get(id);
      if (!integration) throw new RangeError(`no EUDR integration with id ${JSON.stringify(id)}`);
      integration.active = active;
    },
    mint({ integrationId, scopes, name, expiresAt }) {
      if (!integrations.has(integrationId)) throw new RangeError(`no EUDR integration with id ${JSON.stringify(integrationId)}`);
      const granted = [...new Set(scopes ?? EUDR_SCOPES)];
      for (const scope of granted) {
        if (!(EUDR_SCOPES as readonly string[]).includes(scope)) throw new TypeError(`unknown EUDR scope ${JSON.stringify(scope)}`);
      }
      const token = `eudr_live_${randomBytes(24).toString("hex")}`;
      const expiry = expiresAt instanceof Date ? expiresAt.getTime() : (expiresAt ?? null);
      const record: TokenRecord = {
        id: randomUUID(),
        integrationId,
        name: name ?? "API token",
        tokenHash: hashToken(token),
        scopes: granted,
        createdAt: now(),
        expiresAt: expiry,
        revokedAt: null,
        lastUsedAt: null,
      };
      byHash.set(record.tokenHash, record);
      byId.set(record.id, record);
      return { id: record.id, token, integrationId, scopes: granted, expiresAt: expiry };
    },
    revoke(tokenId) {
      tokenById(tokenId).revokedAt = now();
    },
    expire(tokenId, at) {
      tokenById(tokenId).expiresAt = at ?? now();
    },
    authenticate(authorization) {
      if (authorization === undefined || authorization.trim() === "") return fail(401, "AUTHENTICATION_REQUIRED");
      const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
      if (!match?.[1] || !EUDR_TOKEN_PATTERN.test(match[1])) return fail(401, "INVALID_TOKEN_FORMAT");
      const record = byHash.get(hashToken(match[1]));
      if (!record) return fail(401, "INVALID_TOKEN");
      if (record.revokedAt !== null) return fail(401, "TOKEN_REVOKED");
      if (record.expiresAt !== null && record.expiresAt <= now()) return fail(401, "TOKEN_EXPIRED");
      const integration = integrations.get(record.integrationId);
      if (!integration) return fail(401, "INVALID_TOKEN");
      if (!integration.active) return fail(403, "INTEGRATION_INACTIVE");
      record.lastUsedAt = now();
      return { ok: true, token: record, integration };
    },
    records: () => [...byId.values()].map((r) => ({ ...r })),
  };
}
