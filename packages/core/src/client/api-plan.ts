/**
 * The API plan: everything the call path needs to know about one API, decided once from its
 * descriptor and then only read. Operations are compiled on first use (a spec of a thousand
 * operations costs nothing for the ones a client never calls) and shared by every client of the
 * descriptor; security lists are interned, so operations that share a requirement share its
 * credential binding.
 */
import { secretShapesOf, type SecretShapes } from "../internal/redact.js";
import { isIdempotentMethod, isSafeMethod } from "../resilience/retry-policy.js";
import type {
  ApiDescriptor,
  ErrorBodySchema,
  RequestBodyDescriptor,
  SecurityRequirement,
  SecuritySchemeDescriptor,
} from "../spec/descriptor.js";

/** What the call path reads about one operation. */
export interface OperationPlan {
  /** `"METHOD /path/template"`. */
  readonly key: string;
  readonly method: string;
  readonly safe: boolean;
  /** Retrying cannot do the work twice without a key: a safe method, PUT or DELETE (RFC 9110 §9.2.2). */
  readonly idempotentMethod: boolean;
  readonly idempotent: boolean;
  readonly credits: number | undefined;
  /** The operation spends credits: only then is a 402 `INSUFFICIENT_CREDITS`. */
  readonly metered: boolean;
  /**
   * The security alternatives in effect, or `undefined` when the spec declares none for this
   * operation (a given credential then applies as it is). Interned: equal lists are one object.
   */
  readonly security: readonly SecurityRequirement[] | undefined;
  /** Declared error statuses (`"404"`, `"4XX"`, `"default"`) → their code-like enum (empty: none). */
  readonly errors: Readonly<Record<string, readonly string[]>> | undefined;
  readonly errorSchemas: Readonly<Record<string, ErrorBodySchema>> | undefined;
  /** Declared error codes worth retrying with the same key; empty when none. */
  readonly retryableCodes: ReadonlySet<string>;
  /** Request body media type and encoding; `undefined`: JSON. */
  readonly body: RequestBodyDescriptor | undefined;
  /** Every declared success response has a JSON body: an empty one is unexpected. */
  readonly successJson: boolean;
}

/** One API, compiled. */
export interface ApiPlan {
  readonly descriptor: ApiDescriptor;
  readonly name: string;
  readonly schemes: Readonly<Record<string, SecuritySchemeDescriptor>>;
  /** Secret shapes the spec declares (`x-portico-credential`), for redaction; compiled on first use. */
  readonly shapes: SecretShapes;
  /** The plan of an operation; unknown operations get a plan of defaults (not kept). */
  operation(method: string, path: string): OperationPlan;
  /**
   * A value derived from this plan, computed once per `key` and kept with the plan (credential
   * bindings of one credential shape, for instance).
   */
  memo<T>(key: string, build: () => T): T;
}

const NONE: ReadonlySet<string> = new Set();
const plans = new WeakMap<ApiDescriptor, ApiPlan>();

/** The plan of a descriptor, compiled once and shared by every client built from it. */
export function planOf(descriptor: ApiDescriptor): ApiPlan {
  let plan = plans.get(descriptor);
  if (plan === undefined) {
    plan = compile(descriptor);
    plans.set(descriptor, plan);
  }
  return plan;
}

function compile(descriptor: ApiDescriptor): ApiPlan {
  // By method, then path: a call's path is usually a literal whose hash the engine keeps, where a
  // "METHOD /path" key would be built and hashed anew on every call.
  const operations = new Map<string, Map<string, OperationPlan>>();
  const derived = new Map<string, unknown>();
  const interned = new Map<string, readonly SecurityRequirement[]>();
  const intern = (security: readonly SecurityRequirement[] | undefined): readonly SecurityRequirement[] | undefined => {
    if (security === undefined) return undefined;
    const id = JSON.stringify(security);
    let shared = interned.get(id);
    if (shared === undefined) {
      shared = security;
      interned.set(id, shared);
    }
    return shared;
  };
  const fallback = intern(descriptor.security);
  let shapes: SecretShapes | undefined;
  return {
    descriptor,
    name: descriptor.name,
    schemes: descriptor.securitySchemes,
    get shapes() {
      return (shapes ??= secretShapesOf(descriptor.securitySchemes));
    },
    operation(method, path) {
      let byPath = operations.get(method);
      const known = byPath?.get(path);
      if (known !== undefined) return known;
      const key = `${method} ${path}`;
      const op = descriptor.operations[key];
      const plan: OperationPlan = {
        key,
        method,
        safe: isSafeMethod(method),
        idempotentMethod: isIdempotentMethod(method),
        idempotent: op?.idempotent === true,
        credits: typeof op?.credits === "number" ? op.credits : undefined,
        metered: op?.metered === true || typeof op?.credits === "number",
        security: op?.security !== undefined ? intern(op.security) : fallback,
        errors: op?.errors,
        errorSchemas: descriptor.errorSchemas?.[key],
        retryableCodes: op?.retryableCodes !== undefined && op.retryableCodes.length > 0 ? new Set(op.retryableCodes) : NONE,
        body: op?.body,
        successJson: op?.successJson === true,
      };
      // Unknown paths (not in the descriptor) are not kept, so a caller cannot grow the map.
      if (op !== undefined) {
        if (byPath === undefined) operations.set(method, (byPath = new Map()));
        byPath.set(path, plan);
      }
      return plan;
    },
    memo<T>(key: string, build: () => T): T {
      if (derived.has(key)) return derived.get(key) as T;
      const value = build();
      derived.set(key, value);
      return value;
    },
  };
}
