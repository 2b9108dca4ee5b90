import { randomBytes, timingSafeEqual } from "node:crypto";
import { fingerprint, sha256Hex } from "../../framework/fingerprint.js";
import type { AtlasErrorCode, AtlasTokenError } from "./problem.js";
import { ROTATION_OVERLAP_MS, type AtlasApiKeySeed, type AtlasClientSeed, type AtlasScope } from "./seed.js";

/** An API key as stored: its SHA-256, never the key. */
export interface ApiKeyRecord {
  readonly hash: string;
  readonly fingerprint: string;
  readonly label: string;
  readonly merchantId: string;
  readonly terminalId?: string;
  readonly scopes: readonly AtlasScope[];
  /** Set when the key was rotated: it works until then (ms since epoch). */
  validUntil?: number;
}

/** Why an API key lookup failed. */
export type ApiKeyFailure = Extract<AtlasErrorCode, "ENVIRONMENT_MISMATCH" | "INVALID_API_KEY" | "API_KEY_ROTATED">;

/** An OAuth client as stored: secret hashes, the current one and any still inside its overlap. */
export interface ClientRecord {
  readonly clientId: string;
  readonly label: string;
  readonly merchantId: string;
  readonly scopes: readonly AtlasScope[];
  secrets: Array<{ readonly hash: string; readonly live: boolean; validUntil?: number }>;
}

const KEY_PATTERN = /^sk_(live|test)_[A-Za-z0-9]{16,}$/;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Random `[A-Za-z0-9]{length}`. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** API keys and OAuth clients of the Atlas sandbox, with 24 h rotation overlap. */
export function createCredentialStore(now: () => number) {
  const keys = new Map<string, ApiKeyRecord>();
  const clients = new Map<string, ClientRecord>();

  const addKey = (seed: AtlasApiKeySeed): ApiKeyRecord => {
    const record: ApiKeyRecord = {
      hash: sha256Hex(seed.secret),
      fingerprint: fingerprint(seed.secret),
      label: seed.label,
      merchantId: seed.merchantId,
      ...(seed.terminalId ? { terminalId: seed.terminalId } : {}),
      scopes: seed.scopes,
    };
    keys.set(record.hash, record);
    return record;
  };

  return {
    addKey,
    addClient(seed: AtlasClientSeed): void {
      clients.set(seed.clientId, {
        clientId: seed.clientId,
        label: seed.label,
        merchantId: seed.merchantId,
        scopes: seed.scopes,
        secrets: [{ hash: sha256Hex(seed.clientSecret), live: seed.clientSecret.startsWith("cs_live_") }],
      });
    },

    /** Finds the key record of a presented `X-Api-Key`, or why it is refused. */
    lookupKey(secret: string): { record: ApiKeyRecord } | { failure: ApiKeyFailure } {
      if (secret.startsWith("sk_live_")) return { failure: "ENVIRONMENT_MISMATCH" };
      if (!KEY_PATTERN.test(secret)) return { failure: "INVALID_API_KEY" };
      const record = keys.get(sha256Hex(secret));
      if (!record) return { failure: "INVALID_API_KEY" };
      if (record.validUntil !== undefined && now() >= record.validUntil) return { failure: "API_KEY_ROTATED" };
      return { record };
    },

    /** Rotates a key: returns the new secret; the old one keeps working for 24 h. */
    rotateKey(oldSecret: string): string {
      const old = keys.get(sha256Hex(oldSecret));
      if (!old) throw new TypeError("rotateApiKey: unknown API key");
      if (old.validUntil === undefined) old.validUntil = now() + ROTATION_OVERLAP_MS;
      const secret = `sk_test_${randomToken(24)}`;
      addKey({ label: old.label, secret, merchantId: old.merchantId, ...(old.terminalId ? { terminalId: old.terminalId } : {}), scopes: old.scopes });
      return secret;
    },

    /** The client whose id and secret these are, or why not. */
    authenticateClient(clientId: string, secret: string): { client: ClientRecord } | { failure: Extract<AtlasTokenError["code"], "INVALID_CLIENT" | "ENVIRONMENT_MISMATCH"> } {
      if (secret.startsWith("cs_live_")) return { failure: "ENVIRONMENT_MISMATCH" };
      const client = clients.get(clientId);
      if (!client) return { failure: "INVALID_CLIENT" };
      const hash = sha256Hex(secret);
      const match = client.secrets.find((s) => sameHash(s.hash, hash));
      if (!match || (match.validUntil !== undefined && now() >= match.validUntil)) return { failure: "INVALID_CLIENT" };
      return { client };
    },

    /** Rotates a client's secret: returns the new one; the previous one works for 24 h. */
    rotateClientSecret(clientId: string): string {
      const client = clients.get(clientId);
      if (!client) throw new TypeError("rotateClientSecret: unknown client_id");
      const until = now() + ROTATION_OVERLAP_MS;
      for (const s of client.secrets) if (s.validUntil === undefined) s.validUntil = until;
      const secret = `cs_test_${randomToken(24)}`;
      client.secrets.push({ hash: sha256Hex(secret), live: false });
      return secret;
    },
  };
}

export type CredentialStore = ReturnType<typeof createCredentialStore>;
