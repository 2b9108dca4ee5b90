import type { ApiDescriptor, ErrorBodySchema, SecurityRequirement } from "../spec/descriptor.js";
import { isSafeMethod } from "../resilience/retry-policy.js";

/** What the pipeline needs to know about one operation, computed once per descriptor. */
export interface OperationInfo {
  /** `"METHOD /path/template"`. */
  readonly key: string;
  readonly method: string;
  readonly safe: boolean;
  readonly idempotent: boolean;
  readonly credits: number | undefined;
  readonly security: readonly SecurityRequirement[];
  readonly errorSchemas: Readonly<Record<string, ErrorBodySchema>> | undefined;
  /** Declared error codes worth retrying with the same key (`retryableCodes`); empty when none. */
  readonly retryableCodes: ReadonlySet<string>;
}

const NONE: ReadonlySet<string> = new Set();

/** Operation lookups of one descriptor, filled lazily and shared by every client built from it. */
export interface OperationTable {
  readonly descriptor: ApiDescriptor;
  get(method: string, path: string): OperationInfo;
}

export function createOperationTable(descriptor: ApiDescriptor): OperationTable {
  const cache = new Map<string, OperationInfo>();
  return {
    descriptor,
    get(method, path) {
      const key = `${method} ${path}`;
      let info = cache.get(key);
      if (info === undefined) {
        const op = descriptor.operations[key];
        info = {
          key,
          method,
          safe: isSafeMethod(method),
          idempotent: op?.idempotent === true,
          credits: typeof op?.credits === "number" ? op.credits : undefined,
          security: op?.security ?? descriptor.security,
          errorSchemas: descriptor.errorSchemas?.[key],
          retryableCodes: op?.retryableCodes !== undefined && op.retryableCodes.length > 0 ? new Set(op.retryableCodes) : NONE,
        };
        // Unknown paths (not in the descriptor) are not cached, so a caller cannot grow the map.
        if (op !== undefined) cache.set(key, info);
      }
      return info;
    },
  };
}
