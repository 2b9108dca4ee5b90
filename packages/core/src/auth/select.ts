import { PorticoError } from "../errors/portico-error.js";
import type { ApiDescriptor, SecuritySchemeDescriptor } from "../spec/descriptor.js";
import type { Credential, CredentialKind } from "./credential.js";

/** One scheme of the selected requirement and the credential that serves it. */
export interface SelectedScheme {
  readonly credential: Credential;
  readonly scheme: string;
  readonly schemeDescriptor: SecuritySchemeDescriptor;
  readonly scopes: readonly string[];
}

/** The credential a request carries, with the scheme and scopes it satisfies. */
export interface CredentialSelection extends SelectedScheme {
  /** Every scheme of the selected requirement (they are ANDed); the first is this selection itself. */
  readonly all: readonly SelectedScheme[];
}

interface PlannedScheme {
  readonly scheme: string;
  readonly descriptor: SecuritySchemeDescriptor | undefined;
  readonly kind: Exclude<CredentialKind, "none"> | undefined;
  readonly scopes: readonly string[];
}

type Plan = readonly (readonly PlannedScheme[])[];

interface DescriptorPlan {
  readonly operations: ReadonlyMap<string, Plan>;
  readonly fallback: Plan;
}

const plans = new WeakMap<ApiDescriptor, DescriptorPlan>();

/** Which credential kind serves a spec scheme: `bearer`/`oauth2` → bearer, `apiKey` → apiKey. */
export function credentialKindFor(scheme: SecuritySchemeDescriptor | undefined): Exclude<CredentialKind, "none"> | undefined {
  if (scheme === undefined) return undefined;
  return scheme.type === "apiKey" ? "apiKey" : "bearer";
}

function planOf(descriptor: ApiDescriptor, security: ApiDescriptor["security"]): Plan {
  return security.map((requirement) =>
    Object.entries(requirement).map(([scheme, scopes]) => {
      const schemeDescriptor = descriptor.securitySchemes[scheme];
      return { scheme, descriptor: schemeDescriptor, kind: credentialKindFor(schemeDescriptor), scopes };
    }),
  );
}

/** Plans every operation's alternatives once per descriptor, so selection is a map lookup. */
function descriptorPlan(descriptor: ApiDescriptor): DescriptorPlan {
  let plan = plans.get(descriptor);
  if (plan === undefined) {
    const fallback = planOf(descriptor, descriptor.security);
    const operations = new Map<string, Plan>();
    for (const [key, operation] of Object.entries(descriptor.operations)) {
      operations.set(key, operation.security === undefined ? fallback : planOf(descriptor, operation.security));
    }
    plan = { operations, fallback };
    plans.set(descriptor, plan);
  }
  return plan;
}

function describeRequirement(requirement: readonly PlannedScheme[]): string {
  return requirement.length === 0 ? "no credential" : requirement.map((part) => `${part.scheme} (${part.kind ?? "unsupported"})`).join(" + ");
}

function select(descriptor: ApiDescriptor, operationKey: string, credentials: readonly Credential[]): CredentialSelection | PorticoError | undefined {
  const { operations, fallback } = descriptorPlan(descriptor);
  const plan = operations.get(operationKey) ?? fallback;
  if (plan.length === 0) return undefined;
  for (const requirement of plan) {
    if (requirement.length === 0) return undefined;
    const all: SelectedScheme[] = [];
    for (const part of requirement) {
      const credential = part.descriptor === undefined ? undefined : credentials.find((candidate) => candidate.kind === part.kind);
      if (credential === undefined || part.descriptor === undefined) break;
      all.push({ credential, scheme: part.scheme, schemeDescriptor: part.descriptor, scopes: part.scopes });
    }
    const first = all[0];
    if (first !== undefined && all.length === requirement.length) return { ...first, all };
  }
  const open = credentials.find((candidate) => candidate.kind === "none");
  const firstPart = plan[0]?.[0];
  if (open !== undefined && firstPart?.descriptor !== undefined) {
    const selected = { credential: open, scheme: firstPart.scheme, schemeDescriptor: firstPart.descriptor, scopes: firstPart.scopes };
    return { ...selected, all: [selected] };
  }
  const configured = credentials.length === 0 ? "none" : credentials.map((credential) => `${credential.kind} (${credential.fingerprint})`).join(", ");
  return new PorticoError(
    "CREDENTIAL_NOT_ALLOWED",
    `Operation "${operationKey}" of ${descriptor.name} accepts ${plan.map(describeRequirement).join(" or ")}; the client has ${configured}. Configure a credential the operation accepts.`,
    { operation: operationKey, accepted: plan.map((requirement) => requirement.map((part) => part.scheme)) },
  );
}

/**
 * Picks, from the operation's security alternatives (`operations[key].security ?? security`),
 * the first requirement all of whose schemes a configured credential satisfies (`none()`
 * satisfies any). Returns the selection, `undefined` when the operation takes no credential
 * (`security: []` or an empty `{}` alternative reached first), or `CREDENTIAL_NOT_ALLOWED` as a value.
 */
export function selectCredential(
  descriptor: ApiDescriptor,
  operationKey: string,
  credentials: Credential | readonly Credential[],
): CredentialSelection | PorticoError | undefined {
  return select(descriptor, operationKey, Array.isArray(credentials) ? credentials : [credentials as Credential]);
}

/**
 * `selectCredential` for a fixed set of credentials, memoized per operation: build it once per
 * client. The credentials' identity is fixed; their secrets may rotate.
 */
export function createCredentialSelector(
  descriptor: ApiDescriptor,
  credentials: Credential | readonly Credential[],
): (operationKey: string) => CredentialSelection | PorticoError | undefined {
  const list = Array.isArray(credentials) ? [...credentials] : [credentials as Credential];
  const memo = new Map<string, CredentialSelection | undefined>();
  return (operationKey) => {
    if (memo.has(operationKey)) return memo.get(operationKey);
    const selection = select(descriptor, operationKey, list);
    if (!(selection instanceof PorticoError)) memo.set(operationKey, selection);
    return selection;
  };
}
