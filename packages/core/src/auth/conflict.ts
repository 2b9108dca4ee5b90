import { PorticoError } from "../errors/portico-error.js";
import type { ApiDescriptor } from "../spec/descriptor.js";

interface ConflictPlan {
  /** Header (lower case) → the schemes it carries. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
}

const conflictPlans = new WeakMap<ApiDescriptor, ConflictPlan>();

function planOf(descriptor: ApiDescriptor): ConflictPlan {
  let plan = conflictPlans.get(descriptor);
  if (plan === undefined) {
    const headers = new Map<string, string[]>();
    for (const [name, scheme] of Object.entries(descriptor.securitySchemes)) {
      const header = scheme.type === "apiKey" ? (scheme.in === "header" ? scheme.name.toLowerCase() : undefined) : "authorization";
      if (header === undefined) continue;
      headers.set(header, [...(headers.get(header) ?? []), name]);
    }
    plan = { headers };
    conflictPlans.set(descriptor, plan);
  }
  return plan;
}

function has(headers: Headers | Readonly<Record<string, string>>, name: string): boolean {
  if (typeof (headers as Headers).has === "function") return (headers as Headers).has(name);
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/**
 * Refuses a request that would carry the credentials of two schemes (e.g. Atlas `X-Api-Key` and
 * `Authorization: Bearer`: "use one, never both") unless one security requirement of the
 * operation asks for both. Call with the final request headers. `CREDENTIAL_CONFLICT` names the headers.
 */
export function checkCredentialConflict(
  descriptor: ApiDescriptor,
  operationKey: string,
  headers: Headers | Readonly<Record<string, string>>,
): PorticoError | undefined {
  const plan = planOf(descriptor);
  const present: string[] = [];
  for (const header of plan.headers.keys()) if (has(headers, header)) present.push(header);
  if (present.length < 2) return undefined;
  const security = descriptor.operations[operationKey]?.security ?? descriptor.security;
  const allowed = security.some((requirement) =>
    present.every((header) => (plan.headers.get(header) ?? []).some((scheme) => scheme in requirement)),
  );
  if (allowed) return undefined;
  return new PorticoError(
    "CREDENTIAL_CONFLICT",
    `Operation "${operationKey}" of ${descriptor.name} takes one credential per request, but this request carries ${present.join(" and ")}; remove one.`,
    { operation: operationKey, headers: present },
  );
}
