/**
 * Where a token credential gets its tokens when it is not told: the token URL of the spec's
 * `oauth2` flow, or the `token_endpoint` of the `openIdConnect` scheme's discovery document
 * (OpenID Connect Discovery 1.0 / RFC 8414), fetched once and checked.
 */
import type { Fetcher } from "../client/types.js";
import { PorticoError } from "../errors/portico-error.js";
import { safeCause } from "../internal/redact.js";
import type { OAuthFlowName, SecuritySchemeDescriptor } from "../spec/descriptor.js";
import { readBounded } from "../internal/read-limited.js";
import type { ClientAuthentication } from "./token-request.js";
import { tokenEndpointUrl } from "./token-url.js";

/** A token endpoint and what its server says about client authentication. */
export interface TokenEndpoint {
  readonly url: string;
  /** The spec's `x-portico-default-token-lifetime` for the scheme, when it declares one. */
  readonly defaultLifetimeSeconds?: number;
  /** `token_endpoint_auth_methods_supported` of the server metadata, when discovered. */
  readonly authMethods?: readonly string[];
}

/** Discovery documents are small; a larger answer is not one. */
const MAX_DISCOVERY_BYTES = 256 * 1024;

/** What portico reads of server metadata (RFC 8414 §2); other members are ignored. */
interface ServerMetadata {
  readonly token_endpoint: string;
  readonly token_endpoint_auth_methods_supported?: readonly string[];
}

/** Whether a discovery document has a string `token_endpoint` (and, when present, a string `issuer` and a list of strings as auth methods). */
function isServerMetadata(body: unknown): body is ServerMetadata {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const { issuer, token_endpoint: tokenEndpoint, token_endpoint_auth_methods_supported: methods } = body as Record<string, unknown>;
  return (
    typeof tokenEndpoint === "string" &&
    (issuer === undefined || typeof issuer === "string") &&
    (methods === undefined || (Array.isArray(methods) && methods.every((method) => typeof method === "string")))
  );
}

/**
 * The token endpoint a `flow` of `scheme` uses. Throws a typed error saying what to pass instead
 * when the scheme has none (no such flow, a flow OAuth 2.1 removes, no discovery URL).
 */
export async function tokenEndpointOf(
  factory: string,
  flow: OAuthFlowName,
  scheme: SecuritySchemeDescriptor | undefined,
  fetcher: Fetcher | undefined,
  signal?: AbortSignal,
  /** The API URL the scheme belongs to: a relative URL in the spec resolves against it (OpenAPI "Relative References"). */
  base?: string,
): Promise<TokenEndpoint> {
  if (scheme?.type === "oauth2") {
    const url = scheme.flows[flow]?.tokenUrl;
    if (url !== undefined) return { url: tokenEndpointUrl(factory, url, "the spec's tokenUrl", base) };
    const declared = Object.keys(scheme.flows);
    const legacy = declared.filter((name) => name === "implicit" || name === "password");
    throw new PorticoError(
      "INVALID_OPTIONS",
      legacy.length === declared.length && legacy.length > 0
        ? `${factory}: the spec's oauth2 scheme declares only the ${legacy.join(" and ")} flow, which OAuth 2.1 removes and portico does not run; use the authorization code flow with PKCE, or bearerToken() with a token obtained elsewhere.`
        : `${factory}: the spec's oauth2 scheme declares no ${flow} flow with a tokenUrl (it declares ${declared.join(", ") || "none"}); pass "tokenUrl".`,
      { option: "tokenUrl" },
    );
  }
  if (scheme?.type === "openIdConnect") return discover(factory, scheme.url, fetcher, signal, base);
  throw new PorticoError("INVALID_OPTIONS", `${factory}: "tokenUrl" is required where the spec's scheme names no token endpoint (oauth2 flow or openIdConnect discovery).`, {
    option: "tokenUrl",
  });
}

/** Fetches and checks an OpenID Connect discovery document. */
async function discover(factory: string, url: string, fetcher: Fetcher | undefined, signal?: AbortSignal, base?: string): Promise<TokenEndpoint> {
  const where = tokenEndpointUrl(factory, url, "the spec's openIdConnectUrl", base);
  const send: Fetcher = fetcher ?? ((input, init) => globalThis.fetch(input, init as RequestInit));
  let response: Response;
  try {
    response = await send(where, { method: "GET", headers: { accept: "application/json" }, redirect: "error", ...(signal ? { signal } : {}) });
  } catch (error) {
    throw new PorticoError("TOKEN_REFRESH_FAILED", `${factory}: the OpenID Connect discovery document at ${where} could not be fetched.`, {
      // The fetcher's error may carry the request (headers, config): only its name and redacted message are kept.
      cause: safeCause(error),
    });
  }
  const text = await readBounded(response, MAX_DISCOVERY_BYTES);
  let body: unknown;
  try {
    body = response.ok ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!isServerMetadata(body)) {
    throw new PorticoError(
      "TOKEN_RESPONSE_INVALID",
      `${factory}: the OpenID Connect discovery document at ${where} ${response.ok ? "has no valid token_endpoint" : `answered ${response.status}`}; pass "tokenUrl".`,
      { status: response.status },
    );
  }
  return {
    url: tokenEndpointUrl(factory, body.token_endpoint, "the discovered token_endpoint"),
    ...(body.token_endpoint_auth_methods_supported !== undefined ? { authMethods: body.token_endpoint_auth_methods_supported } : {}),
  };
}

/**
 * The client authentication to use: the option, else what the server metadata supports
 * (`client_secret_post` when listed, else `client_secret_basic`, RFC 8414's default), else post.
 */
export function clientAuthenticationFor(option: ClientAuthentication | undefined, endpoint: TokenEndpoint): ClientAuthentication {
  if (option !== undefined) return option;
  const methods = endpoint.authMethods;
  if (methods === undefined) return "client_secret_post";
  return methods.includes("client_secret_post") ? "client_secret_post" : "client_secret_basic";
}
