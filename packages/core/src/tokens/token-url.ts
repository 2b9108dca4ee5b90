import { isSecureTransport } from "../auth/transport.js";
import { PorticoError } from "../errors/portico-error.js";

/**
 * The one check of a token endpoint (or discovery document) URL, wherever it comes from (a
 * credential's `tokenUrl` option, the spec's flow, a discovery document): absolute, and `https`
 * (plain `http` only to loopback), since the request carries the client secret, a refresh token
 * or an authorization code. Returns the normalized URL; relative URLs resolve against `base`.
 * @example tokenEndpointUrl("clientCredentials", options.tokenUrl, '"tokenUrl"')
 */
export function tokenEndpointUrl(factory: string, value: string, what: string, base?: string): string {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw new PorticoError("INVALID_OPTIONS", `${factory}: ${what} is not an absolute URL; pass "tokenUrl".`, { option: "tokenUrl" });
  }
  if (!isSecureTransport(url)) {
    throw new PorticoError("INSECURE_TRANSPORT", `${factory}: ${what} must be https (plain http is allowed only to loopback).`, { option: "tokenUrl" });
  }
  return url.href;
}
