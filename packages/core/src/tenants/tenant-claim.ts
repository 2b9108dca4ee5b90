import type { ClaimNames } from "../auth/credential.js";
import { PorticoError } from "../errors/portico-error.js";
import { readJwtClaims } from "../internal/jwt.js";
import type { ApiDescriptor } from "../spec/descriptor.js";

/** Namespaces remembered per descriptor (deployments are few; beyond this, names are rebuilt). */
const MAX_NAMESPACES = 16;
const resolved = new WeakMap<NonNullable<ApiDescriptor["claims"]>, Map<string, ClaimNames>>();

/**
 * Full claim names from a descriptor's `claims` (`x-portico-claims`), with the namespace of this
 * deployment when it differs from the spec's (IMS: "The claim namespace prefix is configurable
 * per deployment"). `undefined` for APIs without claims.
 * @example resolveClaimNames(ims, "https://claims.example.com/") // { tenant: "https://claims.example.com/tenant_id", ... }
 */
export function resolveClaimNames(claims: ApiDescriptor["claims"], namespace?: string): ClaimNames | undefined {
  if (claims === undefined) return undefined;
  const prefix = namespace ?? claims.namespace;
  // One frozen object per (claims, namespace): every client of a descriptor shares it.
  let byPrefix = resolved.get(claims);
  if (byPrefix === undefined) resolved.set(claims, (byPrefix = new Map()));
  let names = byPrefix.get(prefix);
  if (names === undefined) {
    const built: { tenant?: string; permissions?: string } = {};
    if (claims.tenant !== undefined) built.tenant = `${prefix}${claims.tenant}`;
    if (claims.permissions !== undefined) built.permissions = `${prefix}${claims.permissions}`;
    names = Object.freeze(built);
    if (byPrefix.size < MAX_NAMESPACES) byPrefix.set(prefix, names);
  }
  return names;
}


/**
 * Checks the tenant claim of a token against the tenant its credential was built for.
 * A token whose tenant claim is absent or different is `TENANT_MISMATCH` and must never be sent.
 */
export function checkTenantClaim(
  accessToken: string,
  expectedTenant: string,
  tenantClaim: string,
  credential: string,
): PorticoError | undefined {
  const actual = readJwtClaims(accessToken)?.[tenantClaim];
  if (actual === expectedTenant) return undefined;
  const found = typeof actual === "string" ? `tenant "${actual}"` : "no readable tenant claim";
  return new PorticoError(
    "TENANT_MISMATCH",
    `Token for credential ${credential} carries ${found} in "${tenantClaim}", but the client was built for tenant "${expectedTenant}"; the token was not used.`,
    { credential, expectedTenant, actualTenant: typeof actual === "string" ? actual : undefined, claim: tenantClaim },
  );
}
