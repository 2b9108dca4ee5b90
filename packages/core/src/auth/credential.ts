import type { AttemptWatch } from "../observe/observer.js";
import type { SecuritySchemeDescriptor } from "../spec/descriptor.js";

/** What a credential knows about the request it is asked to authorize. */
export interface AuthorizeContext {
  /** Absolute request URL. */
  readonly url: string;
  readonly method: string;
  /** `"METHOD /path/template"` of the operation. */
  readonly operation: string;
  /** Name of the spec's security scheme this credential serves on this request; absent when the spec declares none. */
  readonly scheme?: string;
  /** The scheme itself: where the secret will be placed (and, for `oauth2`/`openIdConnect`, where tokens come from). */
  readonly schemeDescriptor?: SecuritySchemeDescriptor;
  /** Scopes the selected security requirement asks of this scheme. */
  readonly scopes: readonly string[];
  readonly signal?: AbortSignal;
  /**
   * Full JWT claim names for tenant and permissions (from the descriptor's `claims`, with the
   * deployment's namespace applied). Token credentials built for a tenant check each fetched
   * token's tenant claim against it.
   */
  readonly claims?: ClaimNames;
  /**
   * The attempt's watch, when the client has observers (logging, tracing): a credential that
   * obtains tokens reports its token requests to it. Custom credentials may ignore it.
   */
  readonly watch?: AttemptWatch;
}

/** Full JWT claim names, e.g. `https://atrope.dev/claims/tenant_id`. */
export interface ClaimNames {
  readonly tenant?: string;
  readonly permissions?: string;
}

/**
 * What one request carries for one scheme. The credential supplies the secret; the client places
 * it where the scheme says (`Authorization: Bearer`, `Authorization: Basic`, an API key header,
 * query parameter or cookie), so a credential never decides the header it lands in.
 */
export interface Authorization {
  /** A token (`bearer`), an API key (`apiKey`), or `user:password` (`basic`). Absent for `none` and `mutualTLS`. */
  readonly secret?: string;
  /**
   * Node only: an undici `Dispatcher` whose TLS connection presents the client certificate
   * (`mutualTLS`); handed to the fetcher as `init.dispatcher`.
   */
  readonly dispatcher?: object;
  /** Opaque handle to what was sent, passed back to `invalidate` on a 401. */
  readonly handle?: unknown;
}

/**
 * How a credential travels, which decides the security schemes it can serve:
 * - `bearer`: a token; serves `http` bearer (and other `http` schemes: `Authorization: <scheme> <token>`), `oauth2`, `openIdConnect`;
 * - `apiKey`: serves `apiKey` schemes, in a header, query parameter or cookie;
 * - `basic`: a user name and password; serves `http` basic;
 * - `mutualTLS`: a client certificate (Node); serves `mutualTLS`;
 * - `none`: sends nothing, satisfies any requirement (local development only).
 */
export type CredentialKind = "none" | "bearer" | "apiKey" | "basic" | "mutualTLS";

/**
 * One credential, whatever its scheme: the interface every auth strategy implements.
 * @see octokit's auth strategies, which this follows.
 */
export interface Credential<Kind extends CredentialKind = CredentialKind> {
  /** How the credential travels. Types of the generated clients narrow on it. */
  readonly kind: Kind;
  /** Safe identification for logs and errors, e.g. `sk_live_9f8e…` (never the secret). */
  readonly fingerprint: string;
  /**
   * Where the secret goes when the spec declares no security scheme for the call (a spec that
   * says nothing about auth): `apiKey` credentials name their header here. @default by kind:
   * `Authorization: Bearer`, `Authorization: Basic`, `X-Api-Key`
   */
  readonly placement?: SecuritySchemeDescriptor;
  /** Produces what this request carries; may fetch or refresh a token. */
  authorize(context: AuthorizeContext): Promise<Authorization> | Authorization;
  /**
   * Called once when the API answered 401 to a request authorized with `handle`. Returns true
   * when a fresh credential is now available and replaying the request once makes sense.
   */
  invalidate?(handle: unknown): Promise<boolean> | boolean;
  /**
   * Called for each attempt authorized with `handle` that got an answer with `status`:
   * `elapsedMs` from `authorize` resolving to the response headers, on the client's clock (the
   * server's own time included). A token credential learns from it how much life a token must
   * have left when handed out. For a 401, it may return a sentence saying the trip outlasted what
   * a secret can be given; the client adds it to the call's error.
   */
  attemptAnswered?(handle: unknown, elapsedMs: number, status: number): string | undefined;
  /**
   * Scopes/permissions granted to the current token, when known. `claims`: the claim names of
   * the client asking (as in `AuthorizeContext.claims`), for a token credential whose claim
   * names were not given at construction.
   */
  grantedScopes?(claims?: ClaimNames): readonly string[] | undefined;
  /** Redacted view for `JSON.stringify`. */
  toJSON(): { kind: string; fingerprint: string };
}
