import { PorticoError } from "../errors/portico-error.js";
import { fingerprint, redact, safeCause } from "../internal/redact.js";
import type { Credential } from "./credential.js";
import { defineCredential } from "./define-credential.js";
import { requireString } from "./options.js";
import { StaticCredential } from "./static-credential.js";

/** A bearer token, or a function that returns the current one. */
export type BearerTokenSource = string | (() => string | Promise<string>);

/**
 * A bearer token: Arrotech API keys, EUDR integration tokens, an ERIP JWT, a GitHub token. Sent
 * where the spec's scheme says (`Authorization: Bearer …`, or `Authorization: <scheme> …` for
 * another `http` scheme). With a function, it is asked on every request (and again after a 401),
 * and every safety check runs on the value it returns.
 * @example bearerToken(process.env.EUDR_TOKEN!)
 */
export function bearerToken(token: BearerTokenSource): Credential<"bearer"> {
  if (typeof token === "string") {
    const secret = requireString("bearerToken", "token", token);
    return new StaticCredential("bearer", secret, fingerprint(secret));
  }
  if (typeof token !== "function") throw new PorticoError("INVALID_OPTIONS", 'bearerToken: "token" must be a string or a function returning one.');
  let last: string | undefined;
  let previous: string | undefined;
  return defineCredential(
    "bearer",
    () => (last === undefined ? "bearer(provided)" : fingerprint(last)),
    {
      async authorize() {
        let value: string;
        try {
          value = await token();
        } catch (error) {
          // Its error may name the tokens it returned before: they are this credential's secrets.
          const held = [last, previous].filter((t): t is string => t !== undefined);
          throw new PorticoError("TOKEN_REFRESH_FAILED", "bearerToken: the token function failed.", { cause: safeCause(error, (text) => redact(text, held)) });
        }
        if (typeof value !== "string" || value.length === 0) {
          throw new PorticoError("TOKEN_RESPONSE_INVALID", "bearerToken: the token function returned no token.", { field: "token" });
        }
        if (last !== undefined && last !== value) previous = last;
        last = value;
        return { secret: value };
      },
      invalidate: () => true,
    },
    () => ({ all: [last, previous].filter((s): s is string => s !== undefined), environment: [] }),
  );
}
