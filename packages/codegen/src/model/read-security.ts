import type { CredentialFormat, SecuritySchemeDescriptor } from "@portico/core";
import type { SpecSource } from "../spec/parse-source.js";
import { resolveRef } from "../spec/resolve-ref.js";
import {
  parseWith,
  referencedShapes,
  type CredentialExtension,
  type OpenApiDocument,
  type SecuritySchemeObject,
} from "../spec/validate-document.js";
import type { CodegenWarning } from "../warnings.js";
import type { SchemeModel } from "./api-model.js";

/** The spec's security schemes, sorted by name, and the warnings they raise. */
export interface SchemeTable {
  readonly schemes: Readonly<Record<string, SchemeModel>>;
  readonly warnings: readonly CodegenWarning[];
}

type OAuthScheme = Extract<SecuritySchemeObject, { type: "oauth2" }>;
type OAuthFlows = Extract<SecuritySchemeDescriptor, { type: "oauth2" }>["flows"];

/** Flows in the order they are written to the table. */
const FLOWS = ["clientCredentials", "authorizationCode", "implicit", "password"] as const;

/**
 * Reads `components.securitySchemes`: every Security Scheme Object type of OpenAPI 3.0/3.1 becomes
 * a descriptor and the credential kind that serves it. An `oauth2` scheme with only `implicit` or
 * `password` flows is kept (a token obtained elsewhere still works) with a warning.
 */
export function readSecuritySchemes(source: SpecSource, document: OpenApiDocument): SchemeTable {
  const schemes: Record<string, SchemeModel> = {};
  const warnings: CodegenWarning[] = [];
  const declared = document.components?.securitySchemes ?? {};
  for (const name of Object.keys(declared).sort()) {
    const at = ["components", "securitySchemes", name];
    const resolved = resolveRef(source, declared[name], at);
    const scheme = parseWith(source, referencedShapes.securityScheme, resolved.value, resolved.pointer);
    if (scheme.type === "oauth2" && !runsAFlow(scheme)) {
      warnings.push(source.warning("OAUTH_FLOW_NOT_RUN", oauthWarning(name, scheme), [...resolved.pointer, "flows"]));
    }
    schemes[name] = readScheme(scheme);
  }
  return { schemes, warnings };
}

function readScheme(scheme: SecuritySchemeObject): SchemeModel {
  switch (scheme.type) {
    case "http": {
      const name = scheme.scheme.toLowerCase();
      return { descriptor: { type: "http", scheme: name, ...readFormat(scheme) }, kind: name === "basic" ? "basic" : "bearer" };
    }
    case "apiKey":
      return { descriptor: { type: "apiKey", in: scheme.in, name: scheme.name, ...readFormat(scheme) }, kind: "apiKey" };
    case "oauth2":
      return { descriptor: { type: "oauth2", flows: readFlows(scheme), ...readLifetime(scheme), ...readFormat(scheme) }, kind: "bearer" };
    case "openIdConnect":
      return { descriptor: { type: "openIdConnect", url: scheme.openIdConnectUrl, ...readLifetime(scheme), ...readFormat(scheme) }, kind: "bearer" };
    case "mutualTLS":
      return { descriptor: { type: "mutualTLS" }, kind: "mutualTLS" };
  }
}

/** Each declared flow's URLs, in {@link FLOWS} order. */
function readFlows(scheme: OAuthScheme): OAuthFlows {
  const flows: { -readonly [F in keyof OAuthFlows]: OAuthFlows[F] } = {};
  for (const flow of FLOWS) {
    const declared = scheme.flows[flow];
    if (declared === undefined) continue;
    // Only the token endpoint is the runtime's; authorization and refresh URLs are the caller's to pass.
    flows[flow] = declared.tokenUrl === undefined ? {} : { tokenUrl: declared.tokenUrl };
  }
  return flows;
}

/** Whether portico can run one of the scheme's flows (client credentials, or authorization code with PKCE). */
function runsAFlow(scheme: OAuthScheme): boolean {
  return scheme.flows.clientCredentials !== undefined || scheme.flows.authorizationCode !== undefined;
}

function oauthWarning(name: string, scheme: OAuthScheme): string {
  const declared = FLOWS.filter((flow) => scheme.flows[flow] !== undefined);
  const flows = declared.length === 0 ? "no flow" : `only the ${declared.join(" and ")} flow${declared.length > 1 ? "s" : ""}`;
  return (
    `oauth2 scheme "${name}" declares ${flows}; portico does not run implicit or password flows (OAuth 2.1 removes them): ` +
    "use authorizationCode with PKCE, or pass a token obtained elsewhere with bearerToken()"
  );
}

function readLifetime(scheme: { "x-portico-default-token-lifetime"?: number | undefined }): { defaultLifetimeSeconds?: number } {
  const lifetime = scheme["x-portico-default-token-lifetime"];
  return lifetime === undefined ? {} : { defaultLifetimeSeconds: lifetime };
}

function readFormat(scheme: { "x-portico-credential"?: CredentialExtension | undefined }): { format?: CredentialFormat } {
  const extension = scheme["x-portico-credential"];
  if (extension === undefined) return {};
  const format: { pattern?: string; environments?: CredentialFormat["environments"] } = {};
  if (extension.pattern !== undefined) format.pattern = extension.pattern;
  if (extension.environments !== undefined) format.environments = extension.environments;
  return { format };
}
