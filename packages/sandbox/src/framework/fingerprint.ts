import { createHash } from "node:crypto";

/** SHA-256 of `secret`, hex: what the sandboxes keep at rest instead of keys and tokens. */
export function sha256Hex(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/**
 * Safe identification of a secret for logs and audit trails: its well-known prefix (up to the
 * last `_` of the first 16 characters, e.g. `sk_test_`) and the first 8 hex digits of its SHA-256,
 * e.g. `sk_test_…3f2a9c1b`. JWTs show as `jwt…<hash>`. Never reveals the secret.
 */
export function fingerprint(secret: string): string {
  const hash = sha256Hex(secret).slice(0, 8);
  if (secret.startsWith("eyJ")) return `jwt…${hash}`;
  const head = secret.slice(0, 16);
  const cut = head.lastIndexOf("_");
  return `${cut > 0 ? head.slice(0, cut + 1) : ""}…${hash}`;
}
