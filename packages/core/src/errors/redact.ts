import { redact as redactKnown } from "../internal/redact.js";

/** Longest body excerpt an error keeps. */
export const EXCERPT_LIMIT = 512;

/** Secrets recognisable by their prefix alone (seeded APIs and common vendor shapes). */
const PREFIXED_SECRETS: readonly RegExp[] = [
  /\b(?:sk|pk|rk|cs)_(?:live|test)_[A-Za-z0-9]+/g,
  /\beudr_(?:live|test)_[A-Za-z0-9]+/g,
  /\berip_[A-Za-z0-9]{8,}/g,
];

/**
 * Removes secrets from untrusted text: everything the auth layer's `redact` removes (registered
 * secrets, credential headers and parameters, bearer values, JWTs) plus prefixed API keys.
 */
export function redact(text: string): string {
  let out = redactKnown(text);
  for (const pattern of PREFIXED_SECRETS) out = out.replace(pattern, "[REDACTED]");
  return out;
}

/** A bounded, redacted excerpt of an untrusted string (body, header, server message). */
export function excerpt(text: string, limit: number = EXCERPT_LIMIT): string {
  // Redact a little beyond the limit so a secret cut in half by the bound is still caught.
  const head = text.length > limit + 256 ? text.slice(0, limit + 256) : text;
  const clean = redact(head);
  return clean.length > limit ? `${clean.slice(0, limit)}…` : clean;
}
