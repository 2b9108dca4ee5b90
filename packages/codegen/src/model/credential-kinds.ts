import type { CredentialKind, SecurityRequirement } from "@portico/core";
import type { SpecSource } from "../spec/parse-source.js";
import { ALL_KINDS, type SchemeModel } from "./api-model.js";

type Schemes = Readonly<Record<string, SchemeModel>>;

/**
 * The credential kinds a client of the API may be given: the kinds of its declared schemes plus
 * `"none"`. A spec that declares no security requirement anywhere says nothing about auth, so
 * every kind is accepted (and a credential the user gives applies to every operation).
 */
export function apiKinds(schemes: Schemes, declaresRequirements: boolean): CredentialKind[] {
  if (!declaresRequirements) return [...ALL_KINDS];
  const kinds = new Set<CredentialKind>(["none", ...Object.values(schemes).map((s) => s.kind)]);
  return ALL_KINDS.filter((k) => kinds.has(k));
}

/**
 * The credential kinds that may call an operation whose security in effect is `security`: the
 * kinds of the schemes of every alternative (an AND of schemes of several kinds takes a credential
 * of each), plus `"none"`. A public operation (`[]`, an empty `{}` alternative, or no security in
 * effect) may be called by every kind of the API.
 */
export function operationKinds(schemes: Schemes, security: readonly SecurityRequirement[] | undefined, api: readonly CredentialKind[]): CredentialKind[] {
  if (security === undefined || security.length === 0) return [...api];
  const kinds = new Set<CredentialKind>(["none"]);
  for (const requirement of security) {
    const names = Object.keys(requirement);
    if (names.length === 0) api.forEach((k) => kinds.add(k));
    for (const name of names) {
      const scheme = schemes[name];
      if (scheme !== undefined) kinds.add(scheme.kind);
    }
  }
  return ALL_KINDS.filter((k) => kinds.has(k));
}

/**
 * Checks that every scheme a `security` array names is declared.
 * @throws CodegenError `SPEC_INVALID` naming the requirement and the scheme.
 */
export function checkSecurity(source: SpecSource, schemes: Schemes, security: readonly SecurityRequirement[], pointer: readonly string[]): void {
  security.forEach((requirement, index) => {
    for (const name of Object.keys(requirement)) {
      if (schemes[name] === undefined) {
        throw source.error("SPEC_INVALID", `security scheme "${name}" is not declared in components.securitySchemes`, [...pointer, String(index), name]);
      }
    }
  });
}

/** Same requirements in the same order. */
export function sameSecurity(a: readonly SecurityRequirement[], b: readonly SecurityRequirement[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
