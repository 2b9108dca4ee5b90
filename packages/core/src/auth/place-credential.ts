/**
 * Where a credential lands: the security scheme decides, the credential only supplies the secret.
 * `http` schemes go in `Authorization` (`Basic base64(user:password)`, `Bearer <token>`, or
 * `<Scheme> <token>`), `apiKey` schemes in their header, query parameter or cookie.
 */
import type { SecuritySchemeDescriptor } from "../spec/descriptor.js";
import type { Authorization, CredentialKind } from "./credential.js";

/** The parts of an outgoing request a credential can write to. */
export interface CredentialTarget {
  /** Lower-case header names. */
  readonly headers: Record<string, string>;
  /** `name=value` pairs, already percent-encoded, to append to the URL. */
  readonly query: string[];
  /** Header names (lower case) and query parameter names written by credentials, for the conflict check. */
  readonly written: Set<string>;
  dispatcher?: object;
}

const DEFAULT_PLACEMENT: Readonly<Partial<Record<CredentialKind, SecuritySchemeDescriptor>>> = {
  bearer: { type: "http", scheme: "bearer" },
  basic: { type: "http", scheme: "basic" },
  apiKey: { type: "apiKey", in: "header", name: "X-Api-Key" },
};

/** The scheme a credential's secret follows: the spec's, else the credential's own placement, else its kind's default. */
export function placementOf(
  scheme: SecuritySchemeDescriptor | undefined,
  credential: { readonly kind: CredentialKind; readonly placement?: SecuritySchemeDescriptor },
): SecuritySchemeDescriptor | undefined {
  return scheme ?? credential.placement ?? DEFAULT_PLACEMENT[credential.kind];
}

/** The header (lower case) a scheme writes, if it writes one: used to spot two schemes on one request. */
export function headerOf(scheme: SecuritySchemeDescriptor): string | undefined {
  if (scheme.type === "apiKey") return scheme.in === "header" ? scheme.name.toLowerCase() : scheme.in === "cookie" ? "cookie" : undefined;
  return scheme.type === "mutualTLS" ? undefined : "authorization";
}

/** Writes one authorization into the request, where `scheme` says. */
export function placeAuthorization(target: CredentialTarget, scheme: SecuritySchemeDescriptor | undefined, authorization: Authorization): void {
  if (authorization.dispatcher !== undefined) target.dispatcher = authorization.dispatcher;
  const secret = authorization.secret;
  if (secret === undefined || scheme === undefined) return;
  switch (scheme.type) {
    case "apiKey":
      if (scheme.in === "query") {
        target.query.push(`${encodeURIComponent(scheme.name)}=${encodeURIComponent(secret)}`);
        target.written.add(`?${scheme.name}`);
      } else if (scheme.in === "cookie") {
        const pair = `${scheme.name}=${encodeURIComponent(secret)}`;
        const existing = target.headers["cookie"];
        target.headers["cookie"] = existing === undefined || existing === "" ? pair : `${existing}; ${pair}`;
        target.written.add(`cookie:${scheme.name}`);
      } else {
        const name = scheme.name.toLowerCase();
        target.headers[name] = secret;
        target.written.add(name);
      }
      return;
    case "http":
      target.headers["authorization"] = `${authScheme(scheme.scheme)} ${scheme.scheme === "basic" ? base64(secret) : secret}`;
      target.written.add("authorization");
      return;
    case "oauth2":
    case "openIdConnect":
      target.headers["authorization"] = `Bearer ${secret}`;
      target.written.add("authorization");
      return;
    case "mutualTLS":
      return;
  }
}

/** `Basic`, `Bearer`, or the declared scheme name as written in the spec's registry form. */
function authScheme(scheme: string): string {
  if (scheme === "bearer") return "Bearer";
  if (scheme === "basic") return "Basic";
  return scheme.charAt(0).toUpperCase() + scheme.slice(1);
}

/** Base64 of the UTF-8 bytes of `text` (RFC 7617), without Node's Buffer. */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
