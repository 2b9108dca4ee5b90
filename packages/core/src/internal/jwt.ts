/** Claims of a JWT payload, read without verifying the signature. */
export type JwtClaims = Readonly<Record<string, unknown>>;

/**
 * Reads the payload of a compact JWS without verifying it (the API verifies; the client only
 * needs `exp`, tenant and permission claims). Returns `undefined` for anything that is not a JWT.
 * Decodes as jose's `decodeJwt` does (base64url, strict UTF-8, a JSON object), in a few lines
 * rather than jose's helpers, which would be the only part of jose in a browser bundle.
 */
export function readJwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split(".");
  const payload = parts[1];
  if (token.length < 10 || parts.length !== 3 || !payload || /[+/]/.test(payload)) return undefined;
  try {
    const binary = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof claims === "object" && claims !== null && !Array.isArray(claims) ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}
