/**
 * What codegen reads from a spec, before it is printed. The descriptor parts are the types of
 * `@portico/core` itself (packages/core/src/spec/descriptor.ts), so the generated table and the
 * runtime that reads it cannot drift apart.
 */
import type {
  CredentialKind,
  OperationDescriptor,
  SecurityRequirement,
  SecuritySchemeDescriptor,
  ServerDescriptor,
} from "@portico/core";
import type { Located } from "../spec/resolve-ref.js";
import type { StreamModel } from "./read-stream.js";
import type { PaginationModel } from "./read-pagination.js";
import type { CodegenWarning } from "../warnings.js";

export type { CredentialKind, SecurityRequirement, SecuritySchemeDescriptor, ServerDescriptor };

/** The request body descriptor of an operation (`OperationDescriptor["body"]` of core). */
export type RequestBodyDescriptor = NonNullable<OperationDescriptor["body"]>;

/** Every credential kind, in the order codegen prints them. */
export const ALL_KINDS: readonly CredentialKind[] = ["none", "bearer", "apiKey", "basic", "mutualTLS"];

/** One declared error response of an operation. */
export interface ErrorResponseModel {
  /** `"401"`, `"4XX"` or `"default"`. */
  readonly status: string;
  /** The code-like enum of the body, in spec order; empty when it has none. */
  readonly codes: readonly string[];
  /** JSON schema of the body, with where it was found; absent when the response has no JSON body. */
  readonly schema?: Located;
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
  /** Credential kinds that may call the operation, in the order `none`, `bearer`, `apiKey`, `basic`, `mutualTLS`. */
  readonly kinds: readonly CredentialKind[];
  readonly idempotent: boolean;
  readonly credits?: number;
  /** Declares `x-portico-credits` or a credit header on a response. */
  readonly metered: boolean;
  /** Rate-limit headers its responses declare: the IETF structured fields, or the `X-RateLimit-*` triplets (a 429 alone counts). */
  readonly rateLimitHeaders?: "ietf" | "triplets";
  /** Sorted by status (numbers, then ranges, then `default`). */
  readonly errors: readonly ErrorResponseModel[];
  /** Error codes marked `x-portico-retryable` on any of its error responses, in status order. */
  readonly retryableCodes?: readonly string[];
  /** The request body's media type and encoding, when it is not JSON. */
  readonly body?: RequestBodyDescriptor;
  /** Every declared success (2xx) response has a JSON body, so an empty one is the server's fault. */
  readonly successJson: boolean;
  /** The success response is a stream (SSE or JSON Lines): its descriptor and item type. */
  readonly stream?: StreamModel;
  /** A list `paginate` pages through: how it pages, and why codegen says so. */
  readonly pagination?: PaginationModel;
}

/** One security scheme: how it travels and which credential kind serves it. */
export interface SchemeModel {
  readonly descriptor: SecuritySchemeDescriptor;
  readonly kind: Exclude<CredentialKind, "none">;
}

export interface ApiModel {
  /** Short API name, e.g. `"ims"` (the client name lower-cased). */
  readonly name: string;
  /** PascalCase client name, e.g. `"Ims"`: the factory is `create<clientName>ApiClient`. */
  readonly clientName: string;
  /** npm package the client is published as (used in documentation comments). */
  readonly packageName: string;
  /** Spec file base name, for the generated header. */
  readonly specFile: string;
  /** `info.title` on one line, safe in a comment (the client name when the title is empty). */
  readonly title: string;
  readonly servers: readonly ServerDescriptor[];
  /** Sorted by scheme name. */
  readonly securitySchemes: Readonly<Record<string, SchemeModel>>;
  /** Top-level `security`; absent when the spec has none. */
  readonly security?: readonly SecurityRequirement[];
  /** Credential kinds a client of this API may be given, in the order `none`, `bearer`, `apiKey`, `basic`, `mutualTLS`. */
  readonly kinds: readonly CredentialKind[];
  /** Sorted by path, then method. */
  readonly operations: readonly OperationModel[];
  readonly claims?: { readonly namespace: string; readonly tenant?: string; readonly permissions?: string };
  /** The WebSocket event stream (`x-portico-events`): path and `components.schemas` name of a message. */
  readonly events?: { readonly path: string; readonly schemaName: string };
  /** What the spec declares that the generated client will not do, in spec order. */
  readonly warnings: readonly CodegenWarning[];
}
