/**
 * What codegen reads from a spec, before it is printed. The descriptor parts mirror
 * `ApiDescriptor` in `@portico/core` (packages/core/src/spec/descriptor.ts) field for field.
 */
import type { Located } from "../spec/resolve-ref.js";

/** How a credential travels, as `@portico/core`'s `CredentialKind`. */
export type CredentialKind = "none" | "bearer" | "apiKey";
export const ALL_KINDS: readonly CredentialKind[] = ["none", "bearer", "apiKey"];

export type ServerEnvironment = "production" | "sandbox";
export type SecurityRequirement = Readonly<Record<string, readonly string[]>>;

export interface CredentialFormat {
  readonly pattern?: string;
  readonly environments?: Readonly<Record<string, ServerEnvironment>>;
}

export type SecuritySchemeDescriptor =
  | { readonly type: "bearer"; readonly format?: CredentialFormat }
  | { readonly type: "apiKey"; readonly in: "header" | "query"; readonly name: string; readonly format?: CredentialFormat }
  | {
      readonly type: "oauth2";
      readonly tokenUrl?: string;
      readonly authorizationUrl?: string;
      readonly defaultLifetimeSeconds?: number;
      readonly format?: CredentialFormat;
    };

export interface ServerDescriptor {
  readonly url: string;
  readonly environment?: ServerEnvironment;
}

/** One declared error response of an operation. */
export interface ErrorResponseModel {
  /** `"401"`, `"4XX"` or `"default"`. */
  readonly status: string;
  /** The `code` enum of the body, in spec order. */
  readonly codes: readonly string[];
  /** JSON schema of the body, with where it was found (for `$ref` resolution). */
  readonly schema: Located;
  /** Codes of `codes` that `x-portico-retryable` marks as worth retrying with the same key. */
  readonly retryable?: readonly string[];
}

export interface OperationModel {
  /** `"METHOD /path/template"`, method upper-case. */
  readonly key: string;
  readonly path: string;
  /** Lower-case HTTP method, as in the `paths` type. */
  readonly method: string;
  /** The operation's own `security`, when it differs from the top-level one. */
  readonly security?: readonly SecurityRequirement[];
  /** Credential kinds that may call the operation, sorted. */
  readonly kinds: readonly CredentialKind[];
  readonly idempotent: boolean;
  readonly idempotencyKeyRequired: boolean;
  readonly credits?: number;
  /** Sorted by status (numbers, then ranges, then `default`). */
  readonly errors: readonly ErrorResponseModel[];
  /** Error codes marked `x-portico-retryable` on any of its error responses, in status order. */
  readonly retryableCodes?: readonly string[];
}

export interface ApiModel {
  /** Short API name, e.g. `"ims"` (the client name lower-cased). */
  readonly name: string;
  /** PascalCase client name from `x-portico-client`, e.g. `"Ims"`. */
  readonly clientName: string;
  /** npm package from `x-portico-client`. */
  readonly packageName: string;
  /** Spec file base name, for the generated header. */
  readonly specFile: string;
  readonly title: string;
  readonly servers: readonly ServerDescriptor[];
  /** Sorted by scheme name. */
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeDescriptor>>;
  readonly security: readonly SecurityRequirement[];
  /** Sorted by path, then method. */
  readonly operations: readonly OperationModel[];
  readonly claims?: { readonly namespace: string; readonly tenant?: string; readonly permissions?: string };
  /** The WebSocket event stream (`x-portico-events`): path and `components.schemas` name of a message. */
  readonly events?: { readonly path: string; readonly schemaName: string };
}
