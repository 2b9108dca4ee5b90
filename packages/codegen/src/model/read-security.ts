import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef } from "../spec/resolve-ref.js";
import {
  parseWith,
  referencedShapes,
  type CredentialExtension,
  type OpenApiDocument,
  type SecurityRequirementObject,
} from "../spec/validate-document.js";
import { ALL_KINDS, type CredentialFormat, type CredentialKind, type SecuritySchemeDescriptor } from "./api-model.js";

/** The spec's security schemes as descriptors, sorted by name, with the credential kind of each. */
export interface SchemeTable {
  readonly descriptors: Readonly<Record<string, SecuritySchemeDescriptor>>;
  readonly kinds: Readonly<Record<string, Exclude<CredentialKind, "none">>>;
}

/**
 * Reads `components.securitySchemes`.
 * @throws CodegenError `SPEC_UNSUPPORTED` for schemes portico cannot send (HTTP basic, cookies, mutual TLS).
 */
export function readSecuritySchemes(source: SpecSource, document: OpenApiDocument): SchemeTable {
  const descriptors: Record<string, SecuritySchemeDescriptor> = {};
  const kinds: Record<string, Exclude<CredentialKind, "none">> = {};
  const schemes = document.components?.securitySchemes ?? {};
  for (const name of Object.keys(schemes).sort()) {
    const at = ["components", "securitySchemes", name];
    const resolved = resolveRef(source, schemes[name], at);
    const scheme = parseWith(source, referencedShapes.securityScheme, resolved.value, resolved.pointer);
    const format = readFormat(scheme["x-portico-credential"]);
    switch (scheme.type) {
      case "http":
        if (scheme.scheme.toLowerCase() !== "bearer") {
          throw source.error("SPEC_UNSUPPORTED", `HTTP "${scheme.scheme}" authentication is not supported; use "bearer"`, [...at, "scheme"]);
        }
        descriptors[name] = { type: "bearer", ...format };
        kinds[name] = "bearer";
        break;
      case "apiKey":
        if (scheme.in === "cookie") {
          throw source.error("SPEC_UNSUPPORTED", "API keys in cookies are not supported", [...at, "in"]);
        }
        descriptors[name] = { type: "apiKey", in: scheme.in, name: scheme.name, ...format };
        kinds[name] = "apiKey";
        break;
      case "oauth2": {
        const flows = scheme.flows;
        const tokenUrl = flows.clientCredentials?.tokenUrl ?? flows.authorizationCode?.tokenUrl ?? flows.password?.tokenUrl;
        const authorizationUrl = flows.authorizationCode?.authorizationUrl ?? flows.implicit?.authorizationUrl;
        const lifetime = scheme["x-portico-default-token-lifetime"];
        descriptors[name] = {
          type: "oauth2",
          ...(tokenUrl === undefined ? {} : { tokenUrl }),
          ...(authorizationUrl === undefined ? {} : { authorizationUrl }),
          ...(lifetime === undefined ? {} : { defaultLifetimeSeconds: lifetime }),
          ...format,
        };
        kinds[name] = "bearer";
        break;
      }
      case "openIdConnect":
        descriptors[name] = { type: "oauth2", ...format };
        kinds[name] = "bearer";
        break;
      case "mutualTLS":
        throw source.error("SPEC_UNSUPPORTED", "mutualTLS security schemes are not supported", [...at, "type"]);
    }
  }
  return { descriptors, kinds };
}

function readFormat(extension: CredentialExtension | undefined): { format?: CredentialFormat } {
  if (extension === undefined) return {};
  const format: { pattern?: string; environments?: CredentialFormat["environments"] } = {};
  if (extension.pattern !== undefined) format.pattern = extension.pattern;
  if (extension.environments !== undefined) format.environments = extension.environments;
  return { format };
}

/**
 * Checks a `security` array against the scheme table and returns the credential kinds that may
 * satisfy it. `[]`, or an empty requirement `{}`, means anyone may call: every kind.
 * @throws CodegenError on an undeclared scheme, or an AND of schemes of different kinds.
 */
export function kindsOf(
  source: SpecSource,
  table: SchemeTable,
  security: readonly SecurityRequirementObject[],
  pointer: readonly string[],
): CredentialKind[] {
  const kinds = new Set<CredentialKind>();
  if (security.length === 0) return [...ALL_KINDS];
  security.forEach((requirement, index) => {
    const names = Object.keys(requirement);
    if (names.length === 0) ALL_KINDS.forEach((k) => kinds.add(k));
    const here = new Set<CredentialKind>();
    for (const name of names) {
      const kind = table.kinds[name];
      if (kind === undefined) {
        throw source.error("SPEC_INVALID", `security scheme "${name}" is not declared in components.securitySchemes`, [...pointer, String(index), name]);
      }
      here.add(kind);
    }
    if (here.size > 1) {
      throw source.error(
        "SPEC_UNSUPPORTED",
        "a security requirement that needs schemes of different kinds at once (AND) is not supported; list them as alternatives",
        [...pointer, String(index)],
      );
    }
    here.forEach((k) => kinds.add(k));
  });
  return ALL_KINDS.filter((k) => kinds.has(k));
}

/** Same requirements in the same order. */
export function sameSecurity(a: readonly SecurityRequirementObject[], b: readonly SecurityRequirementObject[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
