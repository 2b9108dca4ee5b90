/**
 * Binds a client's credentials to the spec's security schemes: checked once at construction, then
 * per operation the security requirement the credentials satisfy is chosen. The choice depends on
 * the credentials' shape only (kinds, and names when bound by scheme name), so it is computed once
 * per security list and shape, and shared by every client of that shape (a tenant fleet).
 */
import { PorticoError } from "../errors/portico-error.js";
import type { ApiPlan } from "../client/api-plan.js";
import type { SecurityRequirement, SecuritySchemeDescriptor } from "../spec/descriptor.js";
import type { Credential, CredentialKind } from "./credential.js";
import { placementOf } from "./place-credential.js";

/** A client's credentials, as given: a list (each serves the schemes of its kind) and/or bound by scheme name. */
export interface BoundCredentials {
  readonly list: readonly Credential[];
  readonly named: Readonly<Record<string, Credential>> | undefined;
  /** How the selections of this shape are kept: shared by clients with the same kinds and names. */
  readonly selections: Map<readonly SecurityRequirement[] | undefined, ShapeSelection>;
}

/** One scheme of the chosen requirement and the credential that serves it. */
export interface SelectedScheme {
  readonly credential: Credential;
  /** Scheme name; `undefined` when the spec declares no security for the call. */
  readonly scheme: string | undefined;
  /** Where the secret goes: the spec's scheme, else the credential's own placement. */
  readonly descriptor: SecuritySchemeDescriptor | undefined;
  readonly scopes: readonly string[];
}

/** Where a part of a shape-level selection takes its credential from. */
type Source = { readonly index: number } | { readonly name: string };

interface ShapePart {
  readonly source: Source;
  readonly scheme: string | undefined;
  readonly descriptor: SecuritySchemeDescriptor | undefined;
  readonly scopes: readonly string[];
}

/** The choice for one security list and one credential shape: the parts to send, or why none fits. */
type ShapeSelection = { readonly parts: readonly ShapePart[] } | { readonly refusal: Refusal };

interface Refusal {
  readonly accepted: readonly (readonly string[])[];
  /** Requirements that would fit if the credentials were bound by scheme name. */
  readonly ambiguous: readonly (readonly string[])[];
}

/** Which credential kind serves a scheme. */
export function kindForScheme(scheme: SecuritySchemeDescriptor): Exclude<CredentialKind, "none"> {
  switch (scheme.type) {
    case "apiKey":
      return "apiKey";
    case "http":
      return scheme.scheme === "basic" ? "basic" : "bearer";
    case "mutualTLS":
      return "mutualTLS";
    default:
      return "bearer";
  }
}

/** How a scheme reads in messages: `api_key (apiKey in header X-Api-Key)`. */
export function describeScheme(name: string, scheme: SecuritySchemeDescriptor | undefined): string {
  if (scheme === undefined) return `${name} (undeclared)`;
  switch (scheme.type) {
    case "apiKey":
      return `${name} (apiKey in ${scheme.in} ${scheme.name})`;
    case "http":
      return `${name} (http ${scheme.scheme})`;
    default:
      return `${name} (${scheme.type})`;
  }
}

const EXAMPLE: Readonly<Record<Exclude<CredentialKind, "none">, string>> = {
  apiKey: 'apiKey("…")',
  bearer: 'bearerToken("…") or clientCredentials({ … })',
  basic: 'basicAuth("user", "password")',
  mutualTLS: "clientCertificate({ cert, key }) from @portico/node",
};

/** `INVALID_OPTIONS` for `auth` (or `auth.<name>`): `Invalid client option "auth…": <fix>`. */
function invalid(option: string, fix: string): PorticoError {
  return new PorticoError("INVALID_OPTIONS", `Invalid client option "${option}": ${fix}`, { option });
}

/** The spec's schemes as messages list them: `a (apiKey in header X-Key), b (http bearer)`. */
const schemeList = (plan: ApiPlan): string => Object.entries(plan.schemes).map(([n, s]) => describeScheme(n, s)).join(", ");

function isCredential(value: unknown): value is Credential {
  return typeof value === "object" && value !== null && typeof (value as Credential).kind === "string" && typeof (value as Credential).authorize === "function";
}

/**
 * Normalizes and checks the `auth` option once: names must be the spec's scheme names, each
 * credential must be of a kind some scheme takes. Throws `INVALID_OPTIONS` naming the fix.
 */
export function bindCredentials(plan: ApiPlan, auth: unknown): BoundCredentials | undefined {
  if (auth === undefined) return undefined;
  const schemes = plan.schemes;
  const names = Object.keys(schemes);
  let list: readonly Credential[] = [];
  let named: Record<string, Credential> | undefined;
  if (isCredential(auth)) list = [auth];
  else if (Array.isArray(auth)) list = auth as readonly Credential[];
  else {
    if (names.length === 0) {
      throw invalid("auth", `the ${plan.name} spec declares no security schemes to bind credentials to by name; pass one credential or a list.`);
    }
    named = {};
    for (const [name, credential] of Object.entries(auth as Record<string, unknown>)) {
      if (credential === undefined) continue;
      const scheme = schemes[name];
      if (scheme === undefined) {
        throw invalid(`auth.${name}`, `the ${plan.name} spec has no security scheme "${name}"; its schemes are ${schemeList(plan)}.`);
      }
      const kind = kindForScheme(scheme);
      if (!isCredential(credential)) throw invalid(`auth.${name}`, `must be a credential, e.g. ${EXAMPLE[kind]}.`);
      if (credential.kind !== "none" && credential.kind !== kind) {
        throw invalid(`auth.${name}`, `${describeScheme(name, scheme)} takes a ${kind} credential, e.g. ${EXAMPLE[kind]}; got ${credential.kind} (${credential.fingerprint}).`);
      }
      named[name] = credential;
    }
  }
  if (names.length > 0) {
    const kinds = new Set(names.map((name) => kindForScheme(schemes[name] as SecuritySchemeDescriptor)));
    list.forEach((credential, index) => {
      if (credential.kind === "none" || kinds.has(credential.kind)) return;
      throw invalid(
        `auth${list.length > 1 || !isCredential(auth) ? `.${index}` : ""}`,
        `a ${credential.kind} credential (${credential.fingerprint}) serves none of the ${plan.name} security schemes (${schemeList(plan)}); use ${[...kinds].map((k) => EXAMPLE[k]).join(" or ")}.`,
      );
    });
  }
  const shape = `${list.map((c) => c.kind).join(",")}|${named === undefined ? "" : Object.entries(named).map(([n, c]) => `${n}=${c.kind}`).join(",")}`;
  const selections = plan.memo(`bind:${shape}`, () => new Map<readonly SecurityRequirement[] | undefined, ShapeSelection>());
  return { list, named, selections };
}

/** Every credential of a binding, for fingerprints and construction-time checks. */
export function allCredentials(bound: BoundCredentials | undefined): readonly Credential[] {
  if (bound === undefined) return [];
  return bound.named === undefined ? bound.list : [...bound.list, ...Object.values(bound.named)];
}

/** Placement rank: header (and `Authorization`) before cookie before query. */
function rankOf(scheme: SecuritySchemeDescriptor | undefined): number {
  if (scheme?.type !== "apiKey") return 0;
  return scheme.in === "header" ? 0 : scheme.in === "cookie" ? 1 : 2;
}

function credentialOf(bound: BoundCredentials, source: Source): Credential {
  return ("name" in source ? bound.named?.[source.name] : bound.list[source.index]) as Credential;
}

/**
 * The schemes (and credentials) a request of this operation carries: `[]` when it carries none
 * (public, or only `none()` fits), or `CREDENTIAL_NOT_ALLOWED` as a value.
 */
export function selectSchemes(plan: ApiPlan, bound: BoundCredentials, operation: string, security: readonly SecurityRequirement[] | undefined): readonly SelectedScheme[] | PorticoError {
  let choice = bound.selections.get(security);
  if (choice === undefined) {
    choice = choose(plan, bound, security);
    bound.selections.set(security, choice);
  }
  if ("parts" in choice) {
    return choice.parts.map((part) => {
      const credential = credentialOf(bound, part.source);
      return { credential, scheme: part.scheme, descriptor: part.descriptor ?? placementOf(undefined, credential), scopes: part.scopes };
    });
  }
  return refuse(plan, bound, operation, choice.refusal);
}

function choose(plan: ApiPlan, bound: BoundCredentials, security: readonly SecurityRequirement[] | undefined): ShapeSelection {
  const schemes = plan.schemes;
  const { list, named } = bound;
  if (security === undefined) return { parts: undeclared(plan, bound) };
  let best: { parts: ShapePart[]; rank: readonly number[] } | undefined;
  let open = false;
  const ambiguous: string[][] = [];
  security.forEach((requirement, index) => {
    const entries = Object.entries(requirement);
    if (entries.length === 0) {
      open = true;
      return;
    }
    const used = new Set<number>();
    const parts: ShapePart[] = [];
    let namedCount = 0;
    let worst = 0;
    for (const [name, scopes] of entries) {
      const descriptor = schemes[name];
      if (descriptor === undefined) return;
      const byName = named?.[name];
      if (byName !== undefined && byName.kind !== "none") {
        parts.push({ source: { name }, scheme: name, descriptor, scopes });
        namedCount += 1;
      } else {
        const kind = kindForScheme(descriptor);
        const sameKind = entries.filter(([other]) => other !== name && named?.[other] === undefined && schemes[other] !== undefined && kindForScheme(schemes[other] as SecuritySchemeDescriptor) === kind);
        const candidates = list.map((c, i) => (c.kind === kind && !used.has(i) ? i : -1)).filter((i) => i >= 0);
        if (sameKind.length > 0 && candidates.length > 0) {
          // Two schemes of one kind (an app id AND a key): which credential is which cannot be guessed.
          ambiguous.push(entries.map(([n]) => n));
          return;
        }
        const index = candidates[0];
        if (index === undefined) return;
        used.add(index);
        parts.push({ source: { index }, scheme: name, descriptor, scopes });
      }
      worst = Math.max(worst, rankOf(descriptor));
    }
    const rank = [namedCount === entries.length ? 0 : namedCount > 0 ? 1 : 2, worst, index];
    if (best === undefined || compare(rank, best.rank) < 0) best = { parts, rank };
  });
  if (best !== undefined) return { parts: (best as { parts: ShapePart[] }).parts };
  if (open || security.length === 0) return { parts: [] };
  // `none()` (local development) satisfies any requirement by sending nothing.
  if (list.some((c) => c.kind === "none") || Object.values(named ?? {}).some((c) => c.kind === "none")) return { parts: [] };
  return { refusal: { accepted: security.map((r) => Object.keys(r)), ambiguous } };
}

/** The spec declares no security for the call: every given credential applies, placed by the best scheme of its kind. */
function undeclared(plan: ApiPlan, bound: BoundCredentials): ShapePart[] {
  const schemes = Object.entries(plan.schemes);
  const parts: ShapePart[] = [];
  bound.list.forEach((credential, index) => {
    if (credential.kind === "none") return;
    const fitting = schemes.filter(([, s]) => kindForScheme(s) === credential.kind).sort(([, a], [, b]) => rankOf(a) - rankOf(b))[0];
    // No scheme of its kind: the credential's own placement, read per client (it is not part of the shape).
    parts.push({ source: { index }, scheme: fitting?.[0], descriptor: fitting?.[1], scopes: [] });
  });
  for (const [name, credential] of Object.entries(bound.named ?? {})) {
    if (credential.kind !== "none") parts.push({ source: { name }, scheme: name, descriptor: plan.schemes[name], scopes: [] });
  }
  return parts;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) - (b[i] as number);
  return 0;
}

function refuse(plan: ApiPlan, bound: BoundCredentials, operation: string, refusal: Refusal): PorticoError {
  const describe = (names: readonly string[]) => names.map((n) => describeScheme(n, plan.schemes[n])).join(" + ");
  const given = allCredentials(bound);
  const configured = given.length === 0 ? "none" : given.map((c) => `${c.kind} (${c.fingerprint})`).join(", ");
  const hint =
    refusal.ambiguous.length > 0
      ? ` ${describe(refusal.ambiguous[0] as readonly string[])} needs one credential per scheme: bind them by scheme name, auth: { ${(refusal.ambiguous[0] as readonly string[]).map((n) => `${n}: …`).join(", ")} }.`
      : refusal.accepted.some((names) => names.some((n) => plan.schemes[n]?.type === "mutualTLS"))
        ? " A mutualTLS scheme takes clientCertificate() from @portico/node (Node only)."
        : " Configure a credential the operation accepts.";
  return new PorticoError(
    "CREDENTIAL_NOT_ALLOWED",
    `Operation "${operation}" of ${plan.name} accepts ${refusal.accepted.map(describe).join(" or ")}; the client has ${configured}.${hint}`,
    { operation, accepted: refusal.accepted },
  );
}
