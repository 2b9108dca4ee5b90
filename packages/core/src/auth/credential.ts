import type { SecuritySchemeDescriptor } from "../spec/descriptor.js";

/** What a credential knows about the request it is asked to authorize. */
export interface AuthorizeContext {
  /** Absolute request URL. */
  readonly url: string;
  readonly method: string;
  /** `"METHOD /path/template"` of the operation. */
  readonly operation: string;
  /** Name of the spec's security scheme selected for this request. */
  readonly scheme: string;
  readonly schemeDescriptor: SecuritySchemeDescriptor;
  /** Scopes the selected security requirement asks for. */
  readonly scopes: readonly string[];
  readonly signal?: AbortSignal;
  /**
   * Full JWT claim names for tenant and permissions (from the descriptor's `claims`, with the
   * deployment's namespace applied; see `resolveClaimNames`). Token credentials built for a
   * tenant check each fetched token's tenant claim against it.
   */
  readonly claims?: ClaimNames;
}

/** Full JWT claim names, e.g. `https://atrope.dev/claims/tenant_id`. */
export interface ClaimNames {
  readonly tenant?: string;
  readonly permissions?: string;
}

/** The headers (or query parameters) one request carries, and the credential it came from. */
export interface Authorization {
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** Opaque handle to what was sent, passed back to `invalidate` on a 401. */
  readonly handle?: unknown;
}

/**
 * One credential, whatever its scheme: the interface every auth strategy implements.
 * @see octokit's auth strategies, which this follows.
 */
/** How a credential travels: no header at all, `Authorization: Bearer`, or an API key header. */
export type CredentialKind = "none" | "bearer" | "apiKey";

export interface Credential<Kind extends CredentialKind = CredentialKind> {
  /** How the credential travels. Types of the generated clients narrow on it. */
  readonly kind: Kind;
  /** Safe identification for logs and errors, e.g. `sk_live_9f8e…` (never the secret). */
  readonly fingerprint: string;
  /** Produces what this request carries; may fetch or refresh a token. */
  authorize(context: AuthorizeContext): Promise<Authorization> | Authorization;
  /**
   * Called once when the API answered 401 to a request authorized with `handle`. Returns true
   * when a fresh credential is now available and replaying the request once makes sense.
   */
  invalidate?(handle: unknown): Promise<boolean> | boolean;
  /** Scopes/permissions granted to the current token, when known. */
  grantedScopes?(): readonly string[] | undefined;
  /** Redacted view for `JSON.stringify`. */
  toJSON(): { kind: string; fingerprint: string };
}
