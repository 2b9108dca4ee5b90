import { errors as joseErrors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JSONWebKeySet } from "jose";
import { randomToken } from "./credential-store.js";
import type { AtlasErrorCode } from "./problem.js";

/** What an Atlas access token carries. */
export interface AtlasTokenClaims {
  readonly clientId: string;
  readonly merchantId: string;
  readonly terminalId: string;
  readonly scopes: readonly string[];
}

/** Outcome of verifying a bearer token. */
export type TokenVerification =
  | { readonly ok: true; readonly claims: AtlasTokenClaims; readonly expiresAt: number }
  | { readonly ok: false; readonly code: Extract<AtlasErrorCode, "TOKEN_EXPIRED" | "INVALID_TOKEN"> };

/** Signs and verifies the sandbox's RS256 access tokens against `now()`. */
export interface TokenSigner {
  readonly jwks: JSONWebKeySet;
  sign(claims: AtlasTokenClaims, lifetimeSeconds: number): Promise<string>;
  verify(token: string): Promise<TokenVerification>;
}

/** Creates a signer with a fresh RS256 key pair; `issuer` is the auth origin, `audience` the API origin. */
export async function createTokenSigner(options: { readonly issuer: string; readonly audience: string; readonly now: () => number }): Promise<TokenSigner> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const kid = `atlas-sandbox-${randomToken(8)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const seconds = (): number => Math.floor(options.now() / 1000);
  return {
    jwks: { keys: [jwk] },
    async sign(claims, lifetimeSeconds) {
      const iat = seconds();
      return new SignJWT({ scope: claims.scopes.join(" "), terminal_id: claims.terminalId, merchant_id: claims.merchantId, client_id: claims.clientId })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(claims.clientId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + lifetimeSeconds)
        .setJti(randomToken(16))
        .sign(privateKey as CryptoKey);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ["RS256"],
          currentDate: new Date(options.now()),
        });
        const { scope, terminal_id: terminalId, merchant_id: merchantId, sub } = payload as Record<string, unknown>;
        if (typeof scope !== "string" || typeof terminalId !== "string" || typeof merchantId !== "string" || typeof sub !== "string") {
          return { ok: false, code: "INVALID_TOKEN" };
        }
        return {
          ok: true,
          claims: { clientId: sub, merchantId, terminalId, scopes: scope.split(" ").filter(Boolean) },
          expiresAt: (payload.exp ?? 0) * 1000,
        };
      } catch (error) {
        return { ok: false, code: error instanceof joseErrors.JWTExpired ? "TOKEN_EXPIRED" : "INVALID_TOKEN" };
      }
    },
  };
}
