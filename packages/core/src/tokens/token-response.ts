/**
 * Reading a token endpoint's successful answer (RFC 6749 §5.1): the checks of its members. Only
 * the token endpoint client (`token-exchange.ts`) reads answers, so this module is loaded with it,
 * on the first token request; the token built from the fields (`cachedTokenFrom`) is in
 * `cached-token.ts`.
 */
import * as z from "zod/mini";
import { PorticoError } from "../errors/portico-error.js";
import { isHeaderValue } from "../internal/option-schema.js";
import { invalidTokenField as invalid, type TokenFields } from "./cached-token.js";

const NOT_STRING = "is not a valid string";
const NOT_VALID = "is not a valid value";
const NUMERIC = /^\d+(?:\.\d+)?$/;
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const string = (v: unknown): string | undefined => (typeof v === "string" ? undefined : NOT_STRING);

/**
 * The members of a successful OAuth 2.0 token response that portico reads, in the order they are
 * checked, each with its check: what is wrong with a value that is present, or undefined when it is
 * fine. Unknown members are kept. `access_token` must be present. @see RFC 6749 §5.1
 * (Plain checks, not zod schemas: the number and union schemas would cost every sign-in bundle bytes.)
 */
const TOKEN_RESPONSE_FIELDS: Readonly<Record<string, (value: unknown) => string | undefined>> = {
  // Sent in a header: a token with a line break, NUL or a character outside Latin-1 is unusable.
  access_token: (v) =>
    typeof v !== "string"
      ? NOT_STRING
      : v.length > 0 && isHeaderValue(v)
        ? undefined
        : "is empty or holds what HTTP cannot carry (a line break, NUL or a character outside Latin-1)",
  token_type: string,
  /** Seconds, as a number or a numeric string. */
  expires_in: (v) => (isFiniteNumber(v) || (typeof v === "string" && NUMERIC.test(v)) ? undefined : NOT_VALID),
  /** Non-standard absolute expiry some servers send (epoch seconds/ms or ISO 8601). */
  expires_at: (v) => (isFiniteNumber(v) || typeof v === "string" ? undefined : NOT_VALID),
  refresh_token: (v) => (typeof v !== "string" ? NOT_STRING : v.length > 0 ? undefined : NOT_VALID),
  scope: string,
};

/** A token response as `parseTokenResponse` accepts it; unknown members are kept. */
export interface TokenResponseBody {
  readonly access_token: string;
  readonly token_type?: string;
  readonly expires_in?: number | string;
  readonly expires_at?: number | string;
  readonly refresh_token?: string;
  readonly scope?: string;
  readonly [member: string]: unknown;
}

/**
 * The token response checks as a zod/mini schema, for code that composes schemas: the same
 * checks `parseTokenResponse` makes (which does not use it, so bundles without it keep no zod
 * code for it). Built in a call marked pure (`#__PURE__`). @see RFC 6749 §5.1
 */
export const TokenResponseSchema: z.ZodMiniType<TokenResponseBody> = /*#__PURE__*/ (() =>
  z.looseObject(
    Object.fromEntries(
      Object.entries(TOKEN_RESPONSE_FIELDS).map(([name, problem]) => {
        const field = z.custom((v) => problem(v) === undefined, { error: (issue) => (issue.input === undefined ? "is missing" : problem(issue.input)) });
        return [name, name === "access_token" ? field : z.optional(field)];
      }),
    ),
  ) as unknown as z.ZodMiniType<TokenResponseBody>)();


/**
 * Validates a token endpoint's JSON body. A malformed one is `TOKEN_RESPONSE_INVALID` naming the
 * field (never its value).
 */
export function parseTokenResponse(body: unknown, source: string): TokenFields {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new PorticoError("TOKEN_RESPONSE_INVALID", `Token response from ${source} is not a JSON object.`);
  }
  const members = body as Record<string, unknown>;
  for (const [field, problem] of Object.entries(TOKEN_RESPONSE_FIELDS)) {
    const value = members[field];
    if (value === undefined) {
      if (field === "access_token") throw invalid(source, field, "is missing");
      continue;
    }
    const wrong = problem(value);
    if (wrong !== undefined) throw invalid(source, field, wrong);
  }
  const data = body as TokenResponseBody;
  if (data.token_type !== undefined && data.token_type.toLowerCase() !== "bearer") {
    throw invalid(source, "token_type", "is not Bearer");
  }
  const expiresIn = data.expires_in === undefined ? undefined : Number(data.expires_in);
  if (expiresIn !== undefined && !(expiresIn > 0 && Number.isFinite(expiresIn))) throw invalid(source, "expires_in", "must be a positive, finite number of seconds");
  // The refresh token's lifetime, as Keycloak (`refresh_expires_in`; 0 there means none) or Azure AD
  // B2C and GitHub (`refresh_token_expires_in`) state it. Informative only: an unusable one is ignored.
  const refreshExpiresIn = Number(data.refresh_expires_in ?? data.refresh_token_expires_in);
  return {
    accessToken: data.access_token,
    ...(expiresIn !== undefined ? { expiresIn } : {}),
    ...(data.expires_at !== undefined ? { expiresAt: data.expires_at } : {}),
    ...(data.refresh_token !== undefined ? { refreshToken: data.refresh_token } : {}),
    ...(data.refresh_token !== undefined && refreshExpiresIn > 0 ? { refreshExpiresIn } : {}),
    ...(data.scope !== undefined ? { scope: data.scope } : {}),
  };
}

