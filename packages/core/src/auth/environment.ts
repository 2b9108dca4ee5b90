import { PorticoError } from "../errors/portico-error.js";
import type { SecuritySchemeDescriptor, ServerDescriptor, ServerEnvironment } from "../spec/descriptor.js";
import type { Credential } from "./credential.js";
import { secretViewOf } from "./secret-access.js";
import { isLoopbackHost } from "./transport.js";

function withSlash(path: string): string {
  return path.endsWith("/") ? path : `${path}/`;
}

/**
 * Which deployment a URL points at: the environment of the descriptor's server it falls under
 * (longest match), else `sandbox` for loopback, else unknown.
 */
export function environmentOf(url: string | URL, servers: readonly ServerDescriptor[]): ServerEnvironment | undefined {
  const target = typeof url === "string" ? new URL(url) : url;
  let best: { length: number; environment: ServerEnvironment | undefined } | undefined;
  for (const server of servers) {
    let base: URL;
    try {
      base = new URL(server.url);
    } catch {
      continue;
    }
    if (base.origin !== target.origin || !withSlash(target.pathname).startsWith(withSlash(base.pathname))) continue;
    if (best === undefined || base.pathname.length > best.length) best = { length: base.pathname.length, environment: server.environment };
  }
  if (best?.environment !== undefined) return best.environment;
  return isLoopbackHost(target.hostname) ? "sandbox" : undefined;
}

/**
 * Refuses a credential whose secret prefix marks another environment than the server's
 * (`sk_test_`/`cs_test_` against production, live ones against a sandbox), per the scheme's
 * `x-portico-credential.environments`. `none()` is refused against production.
 */
export function checkEnvironment(
  credential: Credential,
  scheme: SecuritySchemeDescriptor | undefined,
  environment: ServerEnvironment | undefined,
): PorticoError | undefined {
  if (environment === undefined) return undefined;
  if (credential.kind === "none") {
    if (environment !== "production") return undefined;
    return new PorticoError(
      "ENVIRONMENT_MISMATCH",
      "The `none()` credential (no authentication, for local development) cannot be used against a production server.",
      { credential: credential.fingerprint, environment },
    );
  }
  const prefixes = scheme?.format?.environments;
  const view = secretViewOf(credential);
  if (prefixes === undefined || view === undefined) return undefined;
  for (const secret of view.environmentSecrets(credential)) {
    for (const [prefix, expected] of Object.entries(prefixes)) {
      if (!secret.startsWith(prefix) || expected === environment) continue;
      return new PorticoError(
        "ENVIRONMENT_MISMATCH",
        `Credential ${credential.fingerprint} is a ${expected} credential ("${prefix}") but the server is ${environment}; use a ${environment} credential or point the client at the ${expected} server.`,
        { credential: credential.fingerprint, environment, credentialEnvironment: expected },
      );
    }
  }
  return undefined;
}
