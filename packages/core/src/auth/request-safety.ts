import type { PorticoError } from "../errors/portico-error.js";
import type { SecuritySchemeDescriptor, ServerDescriptor, ServerEnvironment } from "../spec/descriptor.js";
import type { Credential } from "./credential.js";
import { kindForScheme } from "./bind-credentials.js";
import { checkCredentialFormat } from "./credential-format.js";
import { checkEnvironment, environmentOf } from "./environment.js";
import { secretsOf } from "./secret-access.js";
import { checkTransport } from "./transport.js";

/**
 * Rails for one credential on one request, run on the secret it is about to send (so a token
 * function's first value is checked before it goes out): transport (`INSECURE_TRANSPORT`; skipped
 * with `transportChecked` for a URL under the base URL construction already checked),
 * environment (`ENVIRONMENT_MISMATCH`) and format (`INVALID_TOKEN_FORMAT`).
 */
export function checkSend(
  credential: Credential,
  scheme: SecuritySchemeDescriptor | undefined,
  secret: string | undefined,
  url: string | URL,
  environment: ServerEnvironment | undefined,
  transportChecked = false,
): PorticoError | undefined {
  return (transportChecked ? undefined : checkTransport(url, credential)) ?? checkEnvironment(credential, scheme, environment, secret) ?? checkCredentialFormat(credential, scheme, secret);
}

/**
 * Construction-time rails: every configured credential against every scheme of its kind, at
 * `baseUrl` (transport, environment, and the format of a static secret). Returns the first
 * problem, or `undefined`.
 */
export function checkCredentials(
  schemes: Readonly<Record<string, SecuritySchemeDescriptor>>,
  servers: readonly ServerDescriptor[],
  baseUrl: string | URL,
  credentials: readonly Credential[],
): PorticoError | undefined {
  const environment = environmentOf(baseUrl, servers);
  for (const credential of credentials) {
    const problem = checkTransport(baseUrl, credential) ?? (credential.kind === "none" ? checkEnvironment(credential, undefined, environment) : undefined);
    if (problem !== undefined) return problem;
    for (const scheme of Object.values(schemes)) {
      if (kindForScheme(scheme) !== credential.kind) continue;
      const mismatch = checkEnvironment(credential, scheme, environment) ?? checkCredentialFormat(credential, scheme, secretsOf(credential)?.static);
      if (mismatch !== undefined) return mismatch;
    }
  }
  return undefined;
}
