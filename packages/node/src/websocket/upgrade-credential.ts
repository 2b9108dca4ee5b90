import type { Authorization, AuthorizeContext, Credential } from "@portico/core";
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

/** Header the Atlas spec (and ERIP) use for API keys. */
const API_KEY_HEADER = "X-Api-Key";

/**
 * Resolves the socket's credential option into upgrade headers: `X-Api-Key` for a key, or
 * `Authorization: Bearer` for a token, never both.
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
    const headers = { [API_KEY_HEADER]: options.apiKey };
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
        return { headers: { Authorization: `Bearer ${token}` } };
      },
      invalidate: async () => {},
    };
  }
  const credential = options.credential;
  const httpUrl = url.replace(/^ws/, "http");
  const authorizeContext = (signal?: AbortSignal): AuthorizeContext => ({
    url: httpUrl,
    method: "GET",
    operation: `GET ${path}`,
    scheme: credential.kind === "apiKey" ? "apiKeyAuth" : "bearerAuth",
    schemeDescriptor: credential.kind === "apiKey" ? { type: "apiKey", in: "header", name: API_KEY_HEADER } : { type: "bearer" },
    scopes: [],
    ...(signal ? { signal } : {}),
  });
  return {
    async authorize(context) {
      const authorization: Authorization = await credential.authorize(authorizeContext(context.signal));
      return { headers: oneSchemeOnly(authorization), handle: authorization.handle };
    },
    async invalidate(handle) {
      await credential.invalidate?.(handle);
    },
  };
}

/** Keeps the credential's headers, refusing query credentials and requests that would carry both schemes. */
function oneSchemeOnly(authorization: Authorization): Record<string, string> {
  if (authorization.query !== undefined && Object.keys(authorization.query).length > 0) {
    throw new PorticoNodeError(NodeErrorCode.CREDENTIAL_CONFLICT, "WebSocket: this credential travels in the query string; in Node it must go on the upgrade headers");
  }
  const headers = { ...authorization.headers };
  const names = Object.keys(headers).map((name) => name.toLowerCase());
  const schemes = Number(names.includes("authorization")) + Number(names.includes("x-api-key"));
  if (schemes !== 1) {
    throw new PorticoNodeError(
      NodeErrorCode.CREDENTIAL_CONFLICT,
      `WebSocket: the credential must yield exactly one of Authorization or X-Api-Key (got ${schemes})`,
    );
  }
  return headers;
}
