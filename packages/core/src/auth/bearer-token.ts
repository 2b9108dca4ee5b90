import { PorticoError } from "../errors/portico-error.js";
import { fingerprint, registerSecret, safeCause } from "../internal/redact.js";
import type { Credential } from "./credential.js";
import { defineCredential } from "./define-credential.js";
import { requireString } from "./options.js";

/** A bearer token, or a function that returns the current one. */
export type BearerTokenSource = string | (() => string | Promise<string>);

/**
 * A static bearer token sent as `Authorization: Bearer …`: Arrotech API keys, EUDR integration
 * tokens, an ERIP JWT. With a function, it is asked on every request (and again after a 401).
 * @example bearerToken(process.env.EUDR_TOKEN!)
 */
export function bearerToken(token: BearerTokenSource): Credential<"bearer"> {
  if (typeof token === "string") {
    const secret = requireString("bearerToken", "token", token);
    registerSecret(secret);
    const print = fingerprint(secret);
    const headers = { Authorization: `Bearer ${secret}` };
    return defineCredential(
      "bearer",
      () => print,
      { authorize: () => ({ headers }), invalidate: () => false },
      { presented: () => secret, environmentSecrets: () => [secret] },
    );
  }
  if (typeof token !== "function") throw new PorticoError("INVALID_OPTIONS", 'bearerToken: "token" must be a string or a function returning one.');
  let last: string | undefined;
  return defineCredential(
    "bearer",
    () => (last === undefined ? "bearer(provided)" : fingerprint(last)),
    {
      async authorize() {
        let value: string;
        try {
          value = await token();
        } catch (error) {
          throw new PorticoError("TOKEN_REFRESH_FAILED", "bearerToken: the token function failed.", { cause: safeCause(error) });
        }
        if (typeof value !== "string" || value.length === 0) {
          throw new PorticoError("TOKEN_RESPONSE_INVALID", "bearerToken: the token function returned no token.", { field: "token" });
        }
        registerSecret(value);
        last = value;
        return { headers: { Authorization: `Bearer ${value}` } };
      },
      invalidate: () => true,
    },
    { presented: () => last, environmentSecrets: () => (last === undefined ? [] : [last]) },
  );
}
