import type { PorticoError } from "../errors/portico-error.js";
import type { ApiDescriptor, ServerEnvironment } from "../spec/descriptor.js";
import type { Credential } from "./credential.js";
import { checkCredentialFormat } from "./credential-format.js";
import { checkEnvironment, environmentOf } from "./environment.js";
import type { CredentialSelection } from "./select.js";
import { credentialKindFor } from "./select.js";
import { checkTransport } from "./transport.js";

/**
 * Per-request rails for a selection: transport (`INSECURE_TRANSPORT`), environment
 * (`ENVIRONMENT_MISMATCH`) and format (`INVALID_TOKEN_FORMAT`). Cheap: call it on every request,
 * so a rotated key is checked too. `environment` is `environmentOf(baseUrl, descriptor.servers)`, computed once.
 */
export function checkRequestSafety(
  selection: CredentialSelection,
  url: string | URL,
  environment: ServerEnvironment | undefined,
): PorticoError | undefined {
  for (const part of selection.all) {
    const problem =
      checkTransport(url, part.credential) ??
      checkEnvironment(part.credential, part.schemeDescriptor, environment) ??
      checkCredentialFormat(part.credential, part.schemeDescriptor);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Construction-time rails: every configured credential against every scheme of its kind in the
 * descriptor, at `baseUrl`. Returns the first problem, or `undefined`.
 */
export function checkCredentials(
  descriptor: ApiDescriptor,
  baseUrl: string | URL,
  credentials: Credential | readonly Credential[],
): PorticoError | undefined {
  const list = Array.isArray(credentials) ? credentials : [credentials as Credential];
  const environment = environmentOf(baseUrl, descriptor.servers);
  for (const credential of list) {
    const problem = checkTransport(baseUrl, credential) ?? (credential.kind === "none" ? checkEnvironment(credential, undefined, environment) : undefined);
    if (problem !== undefined) return problem;
    for (const scheme of Object.values(descriptor.securitySchemes)) {
      if (credentialKindFor(scheme) !== credential.kind) continue;
      const mismatch = checkEnvironment(credential, scheme, environment) ?? checkCredentialFormat(credential, scheme);
      if (mismatch !== undefined) return mismatch;
    }
  }
  return undefined;
}
