import { createHash } from "node:crypto";

/**
 * SHA-256 of a secret as lower-case hex: the form EUDR and ERIP store API keys in, so a key can
 * be matched against their records (and logged) without revealing it.
 *
 * @example
 * sha256Fingerprint("erip_abc123…") // "9f2c…" (64 hex characters)
 */
export function sha256Fingerprint(secret: string | Uint8Array): string {
  if (typeof secret !== "string" && !(secret instanceof Uint8Array)) {
    throw new TypeError('"secret" must be a string or a Uint8Array');
  }
  return createHash("sha256").update(secret).digest("hex");
}
