import type { Authorization, AuthorizeContext, Credential } from "../../../src/index.js";

/**
 * A plain static bearer credential for pipeline tests (the real strategies live in src/auth and
 * are tested there). `tokens` are handed out in order; `invalidate` moves to the next one.
 */
export function testBearer(tokens: readonly string[], options: { scopes?: readonly string[] } = {}): Credential<"bearer"> & {
  readonly seen: AuthorizeContext[];
  readonly invalidated: unknown[];
} {
  let index = 0;
  const seen: AuthorizeContext[] = [];
  const invalidated: unknown[] = [];
  return {
    kind: "bearer",
    fingerprint: "test…bearer",
    seen,
    invalidated,
    authorize(context: AuthorizeContext): Authorization {
      seen.push(context);
      return { secret: tokens[index] ?? "", handle: index };
    },
    invalidate(handle: unknown): boolean {
      invalidated.push(handle);
      if (index + 1 >= tokens.length) return false;
      index += 1;
      return true;
    },
    grantedScopes: () => options.scopes,
    toJSON: () => ({ kind: "bearer", fingerprint: "test…bearer" }),
  };
}

/** A static API key credential sent as `X-Api-Key`. */
export function testApiKey(key: string): Credential<"apiKey"> {
  return {
    kind: "apiKey",
    fingerprint: `${key.slice(0, 8)}…`,
    authorize: () => ({ secret: key }),
    toJSON: () => ({ kind: "apiKey", fingerprint: `${key.slice(0, 8)}…` }),
  };
}
