import { PorticoError } from "../errors/portico-error.js";
import type { SecuritySchemeDescriptor, ServerDescriptor, ServerEnvironment } from "../spec/descriptor.js";
import type { Credential } from "./credential.js";
import { secretsOf } from "./secret-access.js";
import { isLoopbackHost } from "./transport.js";

/**
 * Which deployment a URL points at: the environment of the descriptor's server it falls under
 * (longest match; a template's variables match any value), else `sandbox` for loopback, else unknown.
 * Host names are compared without a trailing dot (`api.example.com.` is `api.example.com`).
 */
export function environmentOf(url: string | URL, servers: readonly ServerDescriptor[]): ServerEnvironment | undefined {
  const target = new URL(typeof url === "string" ? url : url.href);
  const here = `${target.protocol}//${target.host.replace(/\.+(?=:\d+$|$)/, "")}${target.pathname.replace(/\/*$/, "/")}`.toLowerCase();
  let best: { length: number; environment: ServerEnvironment | undefined } | undefined;
  for (const server of servers) {
    const length = server.url.length;
    if (!serverPattern(server.url).test(here)) continue;
    if (best === undefined || length > best.length) best = { length, environment: server.environment };
  }
  if (best?.environment !== undefined) return best.environment;
  return isLoopbackHost(target.hostname.replace(/\.+$/, "")) ? "sandbox" : undefined;
}

/** A server URL (template) as a prefix pattern over `protocol//host/path/`, variables matching one segment's worth. */
function serverPattern(template: string): RegExp {
  let normalized: string;
  try {
    const url = new URL(template.replace(/\{[^}]*\}/g, (name) => `__${encodeURIComponent(name)}__`));
    normalized = `${url.protocol}//${url.host.replace(/\.+(?=:\d+$|$)/, "")}${url.pathname.replace(/\/*$/, "/")}`;
  } catch {
    return /$^/;
  }
  const source = normalized
    .split(/__%7B[^_]*%7D__|__\{[^}]*\}__/i)
    .map((part) => part.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/?#]+");
  return new RegExp(`^${source}`);
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
  sent?: string,
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
  const prefixes = scheme !== undefined && "format" in scheme ? scheme.format?.environments : undefined;
  if (prefixes === undefined) return undefined;
  const held = secretsOf(credential);
  const secrets = [...(held?.environment ?? held?.all ?? []), ...(sent !== undefined ? [sent] : [])];
  for (const secret of secrets) {
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

