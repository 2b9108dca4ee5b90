import { decodeJwt } from "jose/jwt/decode";

/** Claims of a JWT payload, read without verifying the signature. */
export type JwtClaims = Readonly<Record<string, unknown>>;

/**
 * Reads the payload of a compact JWS without verifying it (the API verifies; the client only
 * needs `exp`, tenant and permission claims). Returns `undefined` for anything that is not a JWT.
 */
export function readJwtClaims(token: string): JwtClaims | undefined {
  if (token.length < 10 || token.split(".").length !== 3) return undefined;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}
