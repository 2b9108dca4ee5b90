import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { CachedToken } from "@portico/core";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";

/**
 * How a token is stored in Redis: `<format>.<expiresAt>.<payload>`. The expiry stays readable
 * so the store script can refuse to overwrite a longer-lived token; the payload is the token
 * JSON (`p1`), or AES-256-GCM ciphertext `base64url(iv | tag | ciphertext)` bound to the Redis
 * key as additional data (`e1`).
 */
export interface TokenCodec {
  encode(token: CachedToken, redisKey: string): string;
  /** The token, or `undefined` when the value cannot be decoded with this codec's key. */
  decode(value: string, redisKey: string): CachedToken | undefined;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Creates the codec; with a 32-byte key (bytes, 64 hex characters or base64) tokens are encrypted. */
export function createTokenCodec(encryptionKey?: Uint8Array | string): TokenCodec {
  const key = encryptionKey === undefined ? undefined : parseKey(encryptionKey);
  return {
    encode(token, redisKey) {
      const json = JSON.stringify(token);
      if (key === undefined) return `p1.${token.expiresAt}.${json}`;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(redisKey));
      const body = Buffer.concat([cipher.update(json, "utf8"), cipher.final()]);
      return `e1.${token.expiresAt}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
    },
    decode(value, redisKey) {
      const first = value.indexOf(".");
      const second = value.indexOf(".", first + 1);
      if (first < 0 || second < 0) return undefined;
      const format = value.slice(0, first);
      const payload = value.slice(second + 1);
      try {
        if (format === "p1" && key === undefined) return asToken(JSON.parse(payload));
        if (format !== "e1" || key === undefined) return undefined;
        const bytes = Buffer.from(payload, "base64url");
        const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(redisKey));
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const json = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
        return asToken(JSON.parse(json));
      } catch {
        return undefined;
      }
    },
  };
}

function parseKey(input: Uint8Array | string): Buffer {
  let bytes: Buffer | undefined;
  if (input instanceof Uint8Array) bytes = Buffer.from(input);
  else if (/^[0-9a-fA-F]{64}$/.test(input)) bytes = Buffer.from(input, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(input)) bytes = Buffer.from(input, input.includes("-") || input.includes("_") ? "base64url" : "base64");
  if (bytes?.length !== 32) {
    throw new PorticoNodeError(
      NodeErrorCode.INVALID_OPTIONS,
      '"encryptionKey" must be 32 bytes: a Uint8Array, 64 hex characters or base64 (e.g. `openssl rand -hex 32`)',
    );
  }
  return bytes;
}

function asToken(value: unknown): CachedToken | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const token = value as Partial<CachedToken>;
  if (typeof token.accessToken !== "string" || typeof token.expiresAt !== "number" || typeof token.obtainedAt !== "number") {
    return undefined;
  }
  return token as CachedToken;
}
