/**
 * The runtime description of one API that `@portico/codegen` emits from an OpenAPI spec and
 * `createClient` consumes. Generated code is this table and types; behaviour lives in core.
 *
 * @see docs/spec-extensions.md for the `x-portico-*` extensions each field is read from.
 */

/** One OpenAPI security requirement object: scheme name → required scopes. */
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

/** How a security scheme of the spec carries its credential on the wire. */
export type SecuritySchemeDescriptor =
  | { readonly type: "bearer"; readonly format?: CredentialFormat }
  | { readonly type: "apiKey"; readonly in: "header" | "query"; readonly name: string; readonly format?: CredentialFormat }
  | {
      readonly type: "oauth2";
      /** Token URL of the client-credentials or authorization-code flow, if the spec names one. */
      readonly tokenUrl?: string;
      readonly authorizationUrl?: string;
      /** Token lifetime to assume when the token response carries none (`x-portico-default-token-lifetime`). */
      readonly defaultLifetimeSeconds?: number;
      readonly format?: CredentialFormat;
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

export interface ServerDescriptor {
  readonly url: string;
  readonly environment?: ServerEnvironment;
}

/** Per-operation behaviour, keyed by `"METHOD /path/template"` (method upper-case). */
export interface OperationDescriptor {
  readonly operationId?: string;
  /** Alternatives (OR) of requirements (AND). Empty array: no credential. Absent: the spec's default. */
  readonly security?: readonly SecurityRequirement[];
  /** Unsafe call safe to retry with an `Idempotency-Key` (header parameter declared or `x-portico-idempotent`). */
  readonly idempotent?: boolean;
  /** Whether the `Idempotency-Key` header parameter is required by the spec. */
  readonly idempotencyKeyRequired?: boolean;
  /** Declared credit cost (`x-portico-credits`). */
  readonly credits?: number;
  /** Error codes declared per HTTP status (from the `code` enum of each error response schema). */
  readonly errors?: Readonly<Record<string, readonly string[]>>;
  /**
   * Declared error codes that mean "the same request may succeed later; retry it with the same
   * Idempotency-Key" (`x-portico-retryable` on the error response). A declared error whose code
   * is not listed is never retried on a 409, and on other statuses only when the status itself is
   * transient (408, 425, 429, 5xx).
   */
  readonly retryableCodes?: readonly string[];
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
  /** Top-level `security` of the spec, used where an operation declares none. */
  readonly security: readonly SecurityRequirement[];
  readonly operations: Readonly<Record<string, OperationDescriptor>>;
  /** Error body schemas by operation key, then status (or `"default"`). */
  readonly errorSchemas?: Readonly<Record<string, Readonly<Record<string, ErrorBodySchema>>>>;
  /** Claims namespace for tenant/permission claims (`x-portico-claims`), IMS only today. */
  readonly claims?: { readonly namespace: string; readonly tenant?: string; readonly permissions?: string };
}
