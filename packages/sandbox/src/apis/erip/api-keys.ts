/**
 * User and service API keys: `erip_` + 40 letters/digits, SHA-256 hashed at rest, the first 8
 * characters kept as `prefix`, the raw key returned once. Revocation is immediate.
 * @see seeds/erip-auth.txt ("API keys")
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";

/** What an ERIP API key looks like. */
export const ERIP_KEY_PATTERN = /^erip_[A-Za-z0-9]{32,}$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export interface ApiKeyRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly type: "user" | "service";
  /** Owner of a user key; null for service keys. */
  readonly userId: string | null;
  readonly name: string;
  /** First 8 characters of the raw key. */
  readonly prefix: string;
  /** SHA-256 of the raw key, hex. */
  readonly keyHash: string;
  readonly createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export type ApiKeyCheck = { readonly ok: true; readonly key: ApiKeyRecord } | { readonly ok: false; readonly code: "INVALID_API_KEY" | "API_KEY_REVOKED" };

/** The key store. */
export interface ApiKeyStore {
  create(input: { readonly tenantId: string; readonly type: "user" | "service"; readonly userId: string | null; readonly name: string }): { readonly record: ApiKeyRecord; readonly key: string };
  /** Active keys of a tenant, optionally of one type and owner. */
  list(tenantId: string, filter: { readonly type: "user" | "service"; readonly userId?: string }): ApiKeyRecord[];
  get(id: string): ApiKeyRecord | undefined;
  revoke(id: string): void;
  /** Revokes every user key of `userId` (the user was suspended). */
  revokeUserKeys(userId: string): number;
  authenticate(rawKey: string): ApiKeyCheck;
  /** Copies of what is stored (hashes, prefixes, metadata). */
  records(): readonly ApiKeyRecord[];
}

/** 40 uniformly drawn letters and digits. */
function randomKeyBody(length = 40): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

export function createApiKeyStore(now: () => number): ApiKeyStore {
  const byId = new Map<string, ApiKeyRecord>();
  const byHash = new Map<string, ApiKeyRecord>();
  return {
    create({ tenantId, type, userId, name }) {
      const key = `erip_${randomKeyBody()}`;
      const record: ApiKeyRecord = {
        id: randomUUID(),
        tenantId,
        type,
        userId: type === "service" ? null : userId,
        name,
        prefix: key.slice(0, 8),
        keyHash: sha256(key),
        createdAt: now(),
        lastUsedAt: null,
        revokedAt: null,
      };
      byId.set(record.id, record);
      byHash.set(record.keyHash, record);
      return { record, key };
    },
    list: (tenantId, { type, userId }) =>
      [...byId.values()].filter((k) => k.tenantId === tenantId && k.type === type && k.revokedAt === null && (userId === undefined || k.userId === userId)),
    get: (id) => byId.get(id),
    revoke(id) {
      const record = byId.get(id);
      if (record && record.revokedAt === null) record.revokedAt = now();
    },
    revokeUserKeys(userId) {
      let count = 0;
      for (const record of byId.values()) {
        if (record.type === "user" && record.userId === userId && record.revokedAt === null) {
          record.revokedAt = now();
          count += 1;
        }
      }
      return count;
    },
    authenticate(rawKey) {
      if (!ERIP_KEY_PATTERN.test(rawKey)) return { ok: false, code: "INVALID_API_KEY" };
      const record = byHash.get(sha256(rawKey));
      if (!record) return { ok: false, code: "INVALID_API_KEY" };
      if (record.revokedAt !== null) return { ok: false, code: "API_KEY_REVOKED" };
      record.lastUsedAt = now();
      return { ok: true, key: record };
    },
    records: () => [...byId.values()].map((r) => ({ ...r })),
  };
}
