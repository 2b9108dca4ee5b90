/**
 * The runtime description of one API that `@portico/codegen` emits from an OpenAPI spec and
 * `createClient` consumes. Generated code is this table and types; behaviour lives in core.
 * Absent fields mean the default ("no", "none", "the spec's default"), so tables stay small.
 *
 * @see docs/spec-extensions.md for what each field is read from.
 */

import type { PaginationDescriptor } from "./pagination.js";
import type { StreamDescriptor } from "./streams.js";

export type { PaginationDescriptor, StreamDescriptor };

/** One OpenAPI security requirement object: scheme name → required scopes. Schemes in one requirement are ANDed. */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** OAuth 2.0 flows a spec can declare; portico runs `clientCredentials` and `authorizationCode` (with PKCE). */
export type OAuthFlowName = "clientCredentials" | "authorizationCode" | "implicit" | "password";

/** One OAuth 2.0 flow of an `oauth2` scheme: where its tokens come from (the rest of the flow is the caller's). */
export interface OAuthFlowDescriptor {
  readonly tokenUrl?: string;
}

/**
 * How a security scheme of the spec carries its credential, one variant per OpenAPI Security
 * Scheme Object type. The scheme decides where a credential lands; the credential only supplies
 * the secret.
 */
export type SecuritySchemeDescriptor =
  | {
      /** `Authorization: <scheme> <value>`: `basic` (user:password, base64), `bearer`, or another registered scheme. */
      readonly type: "http";
      /** Lower-case scheme name as declared, e.g. `"bearer"`, `"basic"`, `"token"`. */
      readonly scheme: string;
      readonly format?: CredentialFormat;
    }
  | {
      readonly type: "apiKey";
      readonly in: "header" | "query" | "cookie";
      /** Header, query parameter or cookie name, as declared. */
      readonly name: string;
      readonly format?: CredentialFormat;
    }
  | {
      readonly type: "oauth2";
      /** The flows the spec declares (implicit and password are declared, never run: OAuth 2.1 drops them). */
      readonly flows: Readonly<Partial<Record<OAuthFlowName, OAuthFlowDescriptor>>>;
      /** Token lifetime to assume when the token response carries none (`x-portico-default-token-lifetime`). */
      readonly defaultLifetimeSeconds?: number;
      readonly format?: CredentialFormat;
    }
  | {
      readonly type: "openIdConnect";
      /** The OpenID Connect discovery document URL (`openIdConnectUrl`). */
      readonly url: string;
      readonly defaultLifetimeSeconds?: number;
      readonly format?: CredentialFormat;
    }
  | {
      /** A client certificate presented in the TLS handshake (Node: `clientCertificate()` of `@portico/node`). */
      readonly type: "mutualTLS";
    };

/** Local checks on a credential's shape, from `x-portico-credential`. */
export interface CredentialFormat {
  /** Regular expression (source) a valid credential matches, e.g. `^eudr_live_[0-9a-f]{48}$`. */
  readonly pattern?: string;
  /** Secret prefix → environment it is valid for, e.g. `{ "sk_live_": "production", "sk_test_": "sandbox" }`. */
  readonly environments?: Readonly<Record<string, ServerEnvironment>>;
}

/** Which kind of deployment a server URL is, from the server's `x-portico-environment`. */
export type ServerEnvironment = "production" | "sandbox";

/** A server variable: the user fills it (`serverVariables`); a default is used only where `defaultUsable`. */
export interface ServerVariableDescriptor {
  readonly default?: string;
  readonly enum?: readonly string[];
  /**
   * Whether the default may be used when the user gives no value: true when the variable has an
   * `enum` (a real choice) or does not appear in the host. A host placeholder is never guessed.
   */
  readonly defaultUsable?: boolean;
}

export interface ServerDescriptor {
  /** URL template as declared, e.g. `https://{region}.api.example.com/v1`. */
  readonly url: string;
  readonly environment?: ServerEnvironment;
  readonly variables?: Readonly<Record<string, ServerVariableDescriptor>>;
}

/** How one property of a form or multipart body is encoded (OpenAPI Encoding Object). */
export interface PropertyEncoding {
  readonly style?: "form" | "deepObject" | "spaceDelimited" | "pipeDelimited";
  readonly explode?: boolean;
  /** Content type of a multipart part. */
  readonly contentType?: string;
}

/** The request body the operation takes by default (the caller's `content-type` header overrides it per call). */
export interface RequestBodyDescriptor {
  /** Media type to send, e.g. `application/x-www-form-urlencoded`; JSON when the descriptor has no `body`. */
  readonly mediaType: string;
  /** Per-property encoding of form and multipart bodies. */
  readonly encoding?: Readonly<Record<string, PropertyEncoding>>;
}

/** Per-operation behaviour, keyed by `"METHOD /path/template"` (method upper-case). */
export interface OperationDescriptor {
  /** Alternatives (OR) of requirements (AND). Empty array: public. Absent: the spec's default. */
  readonly security?: readonly SecurityRequirement[];
  /** Unsafe call safe to retry with an `Idempotency-Key` (header parameter declared or `x-portico-idempotent`). */
  readonly idempotent?: boolean;
  /** Declared credit cost (`x-portico-credits`). */
  readonly credits?: number;
  /**
   * The operation spends credits: it declares `x-portico-credits` or credit headers on a response.
   * Only then does a 402 mean `INSUFFICIENT_CREDITS`.
   */
  readonly metered?: boolean;
  /**
   * Declared error responses by status (`"404"`, `"4XX"`, `"default"`): the code-like enum of each
   * body (empty when it has none; the code then derives from the status).
   */
  readonly errors?: Readonly<Record<string, readonly string[]>>;
  /**
   * Declared error codes that mean "the same request may succeed later; retry it with the same
   * Idempotency-Key" (`x-portico-retryable` on the error response). A declared error whose code
   * is not listed is never retried on a 409, and on other statuses only when the status itself is
   * transient (408, 425, 429, 5xx).
   */
  readonly retryableCodes?: readonly string[];
  /** Request body media type and encoding; absent: JSON (or no body). */
  readonly body?: RequestBodyDescriptor;
  /**
   * Every success response the spec declares for it has a JSON body: an empty 2xx body (other
   * than a 204, a 205 or a HEAD's) is then `UNEXPECTED_RESPONSE`, not `data: undefined`.
   */
  readonly successJson?: boolean;
  /** How the operation's list pages (recognised by codegen, or `x-portico-pagination`); absent: not a list. */
  readonly pagination?: PaginationDescriptor;
  /** The success response is a stream of items (`text/event-stream`, JSON Lines); absent: one body. */
  readonly stream?: StreamDescriptor;
}

/**
 * Validates an error body. Any Standard Schema (zod, zod/mini, valibot) fits.
 * @see https://standardschema.dev
 */
export interface ErrorBodySchema {
  readonly "~standard": {
    readonly validate: (value: unknown) =>
      | { readonly value: unknown; readonly issues?: undefined }
      | { readonly issues: ReadonlyArray<{ readonly message: string }> }
      | Promise<unknown>;
  };
}

export interface ApiDescriptor {
  /** Short API name, e.g. `"ims"`; used in error messages and cache keys. */
  readonly name: string;
  readonly servers: readonly ServerDescriptor[];
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeDescriptor>>;
  /**
   * Top-level `security` of the spec, used where an operation declares none. Absent: the spec
   * declares no security at all, and a credential the user gives applies to every operation.
   */
  readonly security?: readonly SecurityRequirement[];
  readonly operations: Readonly<Record<string, OperationDescriptor>>;
  /** Error body schemas by operation key, then status (or `"4XX"`, `"default"`). */
  readonly errorSchemas?: Readonly<Record<string, Readonly<Record<string, ErrorBodySchema>>>>;
  /** Claims namespace for tenant/permission claims (`x-portico-claims`). */
  readonly claims?: { readonly namespace: string; readonly tenant?: string; readonly permissions?: string };
}
