import { type Authorization, type Credential, type SecuritySchemeDescriptor } from "@portico/core";
import { placeAuthorization, type CredentialTarget } from "@portico/core/internal";
import { NodeErrorCode, PorticoNodeError } from "../errors.js";

/** The credential of a socket: exactly one of a static API key, a token source or a portico credential. */
export type SocketCredentialOptions =
  | { apiKey: string; getToken?: never; credential?: never }
  | { getToken: (context: TokenRequestContext) => Promise<string> | string; apiKey?: never; credential?: never }
  | { credential: Credential<"bearer" | "apiKey">; apiKey?: never; getToken?: never };

/** Why a token is asked for: first connection, a reconnect, or a reconnect after the server refused the last token. */
export interface TokenRequestContext {
  readonly reason: "connect" | "reconnect" | "unauthorized";
  /** 0 for the first connection, then the number of the reconnect attempt. */
  readonly attempt: number;
}

/** Headers of one upgrade request, and the handle to invalidate if the server refuses them. */
export interface UpgradeAuthorization {
  readonly headers: Record<string, string>;
  readonly handle?: unknown;
}

/** What the socket needs of its credential: headers for each upgrade, and a way to drop a refused token. */
export interface UpgradeCredential {
  authorize(context: TokenRequestContext & { signal?: AbortSignal }): Promise<UpgradeAuthorization>;
  invalidate(handle: unknown): Promise<void>;
}

/** Where each kind of secret goes on the upgrade: an `apiKey` header scheme (`X-Api-Key`, as Atlas and ERIP) or an `http` bearer scheme. */
const API_KEY_SCHEME = { type: "apiKey", in: "header", name: "X-Api-Key" } as const satisfies SecuritySchemeDescriptor;
const BEARER_SCHEME = { type: "http", scheme: "bearer" } as const satisfies SecuritySchemeDescriptor;
const SCHEMES = {
  apiKey: { name: "apiKeyAuth", descriptor: API_KEY_SCHEME },
  bearer: { name: "bearerAuth", descriptor: BEARER_SCHEME },
} as const;

/** Upgrade headers that carry a credential: only the credential option may set them. */
const CREDENTIAL_HEADERS = new Set(["authorization", "x-api-key"]);

/**
 * Resolves the socket's credential option into upgrade headers: `X-Api-Key` for a key, or
 * `Authorization: Bearer` for a token, never both. A portico credential supplies only its secret;
 * the socket places it by the credential's kind, as a spec's scheme would (its `placement` is not
 * consulted: the socket's scheme applies).
 */
export function upgradeCredential(options: SocketCredentialOptions, url: string, path: string): UpgradeCredential {
  const given = (["apiKey", "getToken", "credential"] as const).filter((name) => options[name as keyof typeof options] !== undefined);
  if (given.length !== 1) {
    throw new PorticoNodeError(
      NodeErrorCode.CREDENTIAL_CONFLICT,
      `WebSocket: give exactly one of "apiKey", "getToken" or "credential" (got ${given.length === 0 ? "none" : given.join(" and ")}); a connection carries one scheme, never both`,
    );
  }
  if (options.apiKey !== undefined) {
    if (typeof options.apiKey !== "string" || options.apiKey === "") {
      throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, 'WebSocket: "apiKey" must be a non-empty string');
    }
    const headers = place(API_KEY_SCHEME, { secret: options.apiKey });
    return { authorize: async () => ({ headers }), invalidate: async () => {} };
  }
  if (options.getToken !== undefined) {
    const getToken = options.getToken;
    return {
      async authorize(context) {
        const token = await getToken({ reason: context.reason, attempt: context.attempt });
        if (typeof token !== "string" || token === "") {
          throw new PorticoNodeError(NodeErrorCode.INVALID_OPTIONS, 'WebSocket: "getToken" must resolve to a non-empty string');
        }
        return { headers: place(BEARER_SCHEME, { secret: token }) };
      },
      invalidate: async () => {},
    };
  }
  const credential = options.credential;
  const kind: string = credential.kind;
  if (kind !== "apiKey" && kind !== "bearer") {
    throw new PorticoNodeError(
      NodeErrorCode.CREDENTIAL_CONFLICT,
      `WebSocket: a ${kind} credential (${credential.fingerprint}) carries neither X-Api-Key nor Authorization: Bearer; give an apiKey or bearer credential`,
    );
  }
  const scheme = SCHEMES[kind];
  const httpUrl = url.replace(/^ws/, "http");
  return {
    async authorize(context) {
      const authorization: Authorization = await credential.authorize({
        url: httpUrl,
        method: "GET",
        operation: `GET ${path}`,
        scheme: scheme.name,
        schemeDescriptor: scheme.descriptor,
        scopes: [],
        ...(context.signal ? { signal: context.signal } : {}),
      });
      if (typeof authorization.secret !== "string" || authorization.secret === "") {
        throw new PorticoNodeError(
          NodeErrorCode.CREDENTIAL_CONFLICT,
          `WebSocket: the credential ${credential.fingerprint} yielded no secret; the upgrade would carry no scheme`,
        );
      }
      return { headers: place(scheme.descriptor, authorization), handle: authorization.handle };
    },
    async invalidate(handle) {
      await credential.invalidate?.(handle);
    },
  };
}

/** Refuses extra upgrade headers that would carry a second scheme next to the credential option. */
export function checkExtraHeaders(headers: Readonly<Record<string, string>> | undefined): void {
  const found = Object.keys(headers ?? {}).filter((name) => CREDENTIAL_HEADERS.has(name.toLowerCase()));
  if (found.length > 0) {
    throw new PorticoNodeError(
      NodeErrorCode.CREDENTIAL_CONFLICT,
      `WebSocket: "headers" must not set ${found.join(" or ")}; the credential goes in "apiKey", "getToken" or "credential", so a connection carries exactly one scheme`,
    );
  }
}

/** The upgrade headers of one secret, placed by core's rules for `scheme` (a header scheme: nothing lands in the query). */
function place(scheme: typeof API_KEY_SCHEME | typeof BEARER_SCHEME, authorization: Authorization): Record<string, string> {
  const target: CredentialTarget = { headers: {}, query: [], written: new Set() };
  placeAuthorization(target, scheme, { secret: authorization.secret });
  return target.headers;
}
