import type { ClaimNames } from "../auth/credential.js";
import { PorticoError } from "../errors/portico-error.js";
import { readJwtClaims } from "../internal/jwt.js";
import type { ApiDescriptor } from "../spec/descriptor.js";
import type { CachedToken } from "../tokens/token-cache.js";

type DescriptorClaims = NonNullable<ApiDescriptor["claims"]>;

/** Namespaces remembered per descriptor (deployments are few; beyond this, names are rebuilt). */
const MAX_NAMESPACES = 16;
const resolved = new WeakMap<DescriptorClaims, Map<string, ClaimNames>>();
/** The descriptor claims each resolved set of names was built from, to put them under another namespace. */
const origins = new WeakMap<ClaimNames, DescriptorClaims>();

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
    origins.set(names, claims);
    if (byPrefix.size < MAX_NAMESPACES) byPrefix.set(prefix, names);
  }
  return names;
}

/**
 * `names` (as a client resolved them from its descriptor) under another namespace: the same
 * claims of the same descriptor, prefixed with `namespace`. Names that did not come from
 * `resolveClaimNames` have no known local part and are returned as they are.
 */
export function claimNamesUnder(names: ClaimNames, namespace: string): ClaimNames {
  const claims = origins.get(names);
  return claims === undefined ? names : (resolveClaimNames(claims, namespace) ?? names);
}

/**
 * The claims read so far of each token checked, as name, value pairs in one array: a token read
 * on every call is decoded once per claim asked for, and only those claims are kept, not its whole
 * payload (a tenant fleet's active clients each hold a token).
 */
const read = new WeakMap<CachedToken, unknown[]>();

/**
 * The (unverified) claim `name` of a token's JWT payload, decoded once per token object and
 * claim; `undefined` for an opaque token or a claim it lacks. `expected`: the value the caller
 * hopes for, kept instead of the decoded copy when equal (one string shared by every read).
 */
export function tokenClaim(token: CachedToken, name: string, expected?: string): unknown {
  const claims = read.get(token);
  if (claims !== undefined) {
    for (let i = 0; i < claims.length; i += 2) if (claims[i] === name) return claims[i + 1];
  }
  const value = readJwtClaims(token.accessToken)?.[name];
  const kept = value === expected ? expected : value;
  if (claims === undefined) read.set(token, [name, kept]);
  else claims.push(name, kept);
  return kept;
}

function mismatchOf(actual: unknown, expectedTenant: string, tenantClaim: string, credential: string): PorticoError | undefined {
  if (actual === expectedTenant) return undefined;
  const found = typeof actual === "string" ? `tenant "${actual}"` : "no readable tenant claim";
  return new PorticoError(
    "TENANT_MISMATCH",
    `Token for credential ${credential} carries ${found} in "${tenantClaim}", but the client was built for tenant "${expectedTenant}"; the token was not used.`,
    { credential, expectedTenant, actualTenant: typeof actual === "string" ? actual : undefined, claim: tenantClaim },
  );
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
  return mismatchOf(readJwtClaims(accessToken)?.[tenantClaim], expectedTenant, tenantClaim, credential);
}

/**
 * The tenant check of every token credential, in one place: throws `TENANT_MISMATCH` when the
 * credential was built for a tenant, the claim names name a tenant claim, and `token` carries
 * another tenant there (or none). Nothing to check without a tenant or a tenant claim name.
 */
export function verifyTenant(token: CachedToken, tenant: string | undefined, claims: ClaimNames | undefined, credential: () => string): void {
  const claim = claims?.tenant;
  if (tenant === undefined || claim === undefined) return;
  const actual = tokenClaim(token, claim, tenant);
  if (actual === tenant) return;
  const mismatch = mismatchOf(actual, tenant, claim, credential());
  if (mismatch !== undefined) throw mismatch;
}
