/** RS256 signing keys of the Auth0-style issuer, and their public JWKS. */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK, type JWTPayload } from "jose";
import { randomBytes } from "node:crypto";

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export interface Signer {
  /** Signs `claims` with the current key (`alg: RS256`, `typ: JWT`, `kid`). */
  sign(claims: JWTPayload): Promise<string>;
  /** Public keys, current first; rotated-out keys stay published so their tokens still verify. */
  jwks(): JSONWebKeySet;
  /** Generates a new current key (the old one stays in the JWKS). */
  rotate(): Promise<string>;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = randomBytes(12).toString("base64url");
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicJwk };
}

export async function createSigner(): Promise<Signer> {
  const keys: SigningKey[] = [await newKey()];
  return {
    async sign(claims) {
      const key = keys[0];
      if (!key) throw new Error("no signing key");
      return new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid }).sign(key.privateKey);
    },
    jwks: () => ({ keys: keys.map((k) => ({ ...k.publicJwk })) }),
    async rotate() {
      const key = await newKey();
      keys.unshift(key);
      return key.kid;
    },
  };
}
