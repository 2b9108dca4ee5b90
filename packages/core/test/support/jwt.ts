/**
 * JWTs for token endpoints on loopback: RS256 tokens signed and verified with jose, dated by the
 * test's clock; unsigned ones for what a client reads before any signature check; and the claims
 * of a token as an API reads them before verifying.
 */
import { randomBytes } from "node:crypto";
import { SignJWT, generateKeyPair, jwtVerify, type CryptoKey, type JWTPayload } from "jose";

export interface Signer {
  /** Signs with `iat` = `now` in whole seconds and `exp` = `iat + lifetimeSeconds` (none when undefined). */
  sign(claims: JWTPayload, lifetimeSeconds: number | undefined, now: number): Promise<string>;
  /** Verifies the signature and issuer, and `exp` at `now`. */
  verify(token: string, now: number): Promise<JWTPayload>;
}

export async function createSigner(issuer = "https://auth.test/"): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return {
    async sign(claims, lifetimeSeconds, now) {
      const iat = Math.floor(now / 1000);
      let jwt = new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT" }).setIssuer(issuer).setIssuedAt(iat).setJti(randomBytes(8).toString("hex"));
      if (lifetimeSeconds !== undefined) jwt = jwt.setExpirationTime(iat + lifetimeSeconds);
      return jwt.sign(privateKey as CryptoKey);
    },
    async verify(token, now) {
      const { payload } = await jwtVerify(token, publicKey as CryptoKey, { issuer, currentDate: new Date(now) });
      return payload;
    },
  };
}

/** An unsigned JWT (what a client reads before any signature check): header, claims, a dummy signature. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

/** The claims of a JWT, unverified (what an API server looks at before checking the signature). */
export function claimsOf(token: string): JWTPayload | undefined {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as JWTPayload;
  } catch {
    return undefined;
  }
}
