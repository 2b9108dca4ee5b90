/**
 * A token endpoint on loopback: client credentials, authorization code + PKCE, rotating refresh
 * tokens, OpenID Connect discovery, `client_secret_basic` and `client_secret_post` (RFC 6749
 * §2.3.1), real RS256 JWTs dated by the test's clock, and a record of every request.
 */
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { JWTPayload } from "jose";
import type { Clock } from "../../../src/index.js";
import { createArrivals, createGate, type Arrivals } from "../../support/events.js";
import type { Signer } from "../../support/jwt.js";
import { json, startLoopback, type Loopback } from "../../support/loopback.js";

export interface AuthClient {
  readonly secret?: string;
  readonly tenant?: string;
}

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post";

export interface AuthServerOptions {
  readonly clients: Record<string, AuthClient>;
  readonly signer: Signer;
  /** Time of issued tokens and of the `Date` header. */
  readonly clock: Clock;
  readonly tokenPath?: string;
  /** @default 3600 */
  readonly lifetimeSeconds?: number;
  /** Send `expires_in`. @default true */
  readonly includeExpiresIn?: boolean;
  /** Put `exp` in the JWT. @default true */
  readonly includeExp?: boolean;
  /** Override the `expires_in` sent (e.g. a huge one). */
  readonly expiresInOverride?: number;
  /** Honour a requested `expires_in` up to this (Atlas: 86400). */
  readonly maxLifetimeSeconds?: number;
  readonly claimsNamespace?: string;
  /** Mint this tenant instead of the client's (a misconfigured Auth0 action). */
  readonly tenantOverride?: Record<string, string>;
  /** Rotate refresh tokens on use. @default true */
  readonly rotateRefreshTokens?: boolean;
  /** Client authentication methods accepted. @default both */
  readonly authMethods?: readonly ClientAuthMethod[];
  /**
   * The OpenID Connect discovery document served at `/.well-known/openid-configuration`:
   * `tokenEndpoint: null` leaves `token_endpoint` out; `authMethods` is
   * `token_endpoint_auth_methods_supported`.
   */
  readonly discovery?: { readonly tokenEndpoint?: string | null; readonly authMethods?: readonly string[] };
}

export interface TokenRequestRecord {
  readonly contentType: string;
  readonly params: Record<string, unknown>;
  /** The raw body, to check that no secret travels in it. */
  readonly body: string;
  /** The raw `Authorization` header, if any. */
  readonly authorization: string | undefined;
  /** `client_secret_basic` credentials as the server decoded them (form-decoded, RFC 6749 §2.3.1). */
  readonly basic: { readonly clientId: string; readonly clientSecret: string } | undefined;
  /** The client authentication method used. */
  readonly method: ClientAuthMethod | "none";
}

/** `requests` are the token requests (not discovery, nor other paths); `until(n)` resolves at the n-th's arrival. */
export interface AuthServer extends Loopback<TokenRequestRecord> {
  readonly tokenUrl: string;
  readonly discoveryUrl: string;
  /** Discovery documents served. */
  readonly discoveries: Arrivals;
  /** Holds token responses until the returned function is called. */
  hold(): () => void;
  /** Answer the next `count` token requests with `status` (default 500). */
  failNext(count: number, status?: number, body?: unknown): void;
  /** Issues an authorization code, as the authorize endpoint would after the user consents. */
  issueCode(grant: { clientId: string; redirectUri: string; codeChallenge?: string; scope?: string; tenant?: string }): string;
  /** Revokes every refresh token. */
  revokeRefreshTokens(): void;
}

const formDecode = (value: string): string => new URLSearchParams(`v=${value}`).get("v") ?? "";

function parseBasic(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  if (header === undefined || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

function parseBody(req: IncomingMessage, body: string): { contentType: string; params: Record<string, unknown> } {
  const contentType = String(req.headers["content-type"] ?? "");
  if (contentType.startsWith("application/json")) return { contentType, params: JSON.parse(body) as Record<string, unknown> };
  return { contentType, params: Object.fromEntries(new URLSearchParams(body)) };
}

export async function startAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const { clock } = options;
  const tokenPath = options.tokenPath ?? "/oauth/token";
  const ns = options.claimsNamespace ?? "https://atrope.dev/claims/";
  const requests: TokenRequestRecord[] = [];
  const arrivals = createArrivals();
  const discoveries = createArrivals();
  const gate = createGate();
  const failures: { status: number; body: unknown }[] = [];
  const codes = new Map<string, { clientId: string; redirectUri: string; codeChallenge?: string; scope?: string; tenant?: string }>();
  const refreshTokens = new Map<string, { clientId: string; scope?: string; tenant?: string }>();
  let tokenUrl = "";
  const dated = (): Record<string, string> => ({ date: new Date(clock.now()).toUTCString() });

  async function issue(clientId: string, scope: string | undefined, tenant: string | undefined, requested: unknown, extra: Record<string, unknown>) {
    let lifetime = options.lifetimeSeconds ?? 3600;
    if (typeof requested === "number" || typeof requested === "string") lifetime = Math.min(Number(requested), options.maxLifetimeSeconds ?? Infinity);
    const mintedTenant = options.tenantOverride?.[clientId] ?? tenant;
    const claims: JWTPayload = {
      sub: clientId,
      ...(scope ? { scope, [`${ns}permissions`]: scope.split(" ") } : {}),
      ...(mintedTenant ? { [`${ns}tenant_id`]: mintedTenant } : {}),
      ...extra,
    };
    const accessToken = await options.signer.sign(claims, options.includeExp === false ? undefined : lifetime, clock.now());
    return {
      access_token: accessToken,
      token_type: "Bearer",
      ...(options.includeExpiresIn === false ? {} : { expires_in: options.expiresInOverride ?? lifetime }),
      ...(scope ? { scope } : {}),
      ...extra,
    };
  }

  const server = await startLoopback(async (req, res, body) => {
    if (req.method === "GET" && req.url === "/.well-known/openid-configuration") {
      discoveries.bump();
      const discovery = options.discovery ?? {};
      const endpoint = discovery.tokenEndpoint === undefined ? tokenUrl : discovery.tokenEndpoint;
      return json(res, 200, {
        issuer: server.url,
        ...(endpoint !== null ? { token_endpoint: endpoint } : {}),
        ...(discovery.authMethods !== undefined ? { token_endpoint_auth_methods_supported: discovery.authMethods } : {}),
      });
    }
    if (req.method !== "POST" || req.url !== tokenPath) return json(res, 404, { error: "not_found" });
    const { contentType, params } = parseBody(req, body);
    const authorization = req.headers.authorization;
    const basic = parseBasic(authorization);
    const method: TokenRequestRecord["method"] = basic !== undefined ? "client_secret_basic" : params.client_secret !== undefined ? "client_secret_post" : "none";
    requests.push({ contentType, params, body, authorization, basic, method });
    arrivals.bump();
    await gate.pass();
    const failure = failures.shift();
    if (failure) return json(res, failure.status, failure.body, dated());
    if (basic !== undefined && params.client_secret !== undefined) {
      return json(res, 400, { error: "invalid_request", error_description: "more than one client authentication method" }, dated());
    }
    const clientId = basic?.clientId ?? String(params.client_id ?? "");
    const client = options.clients[clientId];
    if (!client) return json(res, 401, { error: "invalid_client", error_description: `Unknown client ${clientId}` }, dated());
    if (client.secret !== undefined) {
      if (method === "none") return json(res, 401, { error: "invalid_client", error_description: "client authentication required" }, dated());
      if (options.authMethods !== undefined && !options.authMethods.includes(method)) {
        return json(res, 401, { error: "invalid_client", error_description: `${method} is not accepted here` }, dated());
      }
      const presented = basic?.clientSecret ?? String(params.client_secret);
      if (presented !== client.secret) {
        // A careless server that echoes what it got: the client must redact it.
        return json(res, 401, { error: "invalid_client", error_description: `Client authentication failed for secret ${presented}` }, dated());
      }
    }
    switch (params.grant_type) {
      case "client_credentials": {
        const scope = typeof params.scope === "string" ? params.scope : undefined;
        const extra = typeof params.terminal_id === "string" ? { terminal_id: params.terminal_id } : {};
        return json(res, 200, await issue(clientId, scope, client.tenant, params.expires_in, { ...extra, ...(params.audience ? { aud: params.audience } : {}) }), dated());
      }
      case "authorization_code": {
        const grant = codes.get(String(params.code));
        codes.delete(String(params.code));
        if (!grant || grant.clientId !== clientId || grant.redirectUri !== params.redirect_uri) {
          return json(res, 400, { error: "invalid_grant", error_description: "code is invalid" }, dated());
        }
        if (grant.codeChallenge !== undefined) {
          const verifier = String(params.code_verifier ?? "");
          const challenge = createHash("sha256").update(verifier).digest("base64url");
          if (challenge !== grant.codeChallenge) return json(res, 400, { error: "invalid_grant", error_description: "PKCE verification failed" }, dated());
        }
        const refreshToken = `rt_${randomBytes(24).toString("hex")}`;
        refreshTokens.set(refreshToken, { clientId, ...(grant.scope ? { scope: grant.scope } : {}), ...(grant.tenant ? { tenant: grant.tenant } : {}) });
        return json(res, 200, { ...(await issue(clientId, grant.scope, grant.tenant ?? client.tenant, undefined, {})), refresh_token: refreshToken }, dated());
      }
      case "refresh_token": {
        const presented = String(params.refresh_token);
        const grant = refreshTokens.get(presented);
        if (!grant || grant.clientId !== clientId) return json(res, 400, { error: "invalid_grant", error_description: "refresh token is invalid" }, dated());
        const tokens = await issue(clientId, grant.scope, grant.tenant ?? client.tenant, undefined, {});
        if (options.rotateRefreshTokens === false) return json(res, 200, tokens, dated());
        refreshTokens.delete(presented);
        const next = `rt_${randomBytes(24).toString("hex")}`;
        refreshTokens.set(next, grant);
        return json(res, 200, { ...tokens, refresh_token: next }, dated());
      }
      default:
        return json(res, 400, { error: "unsupported_grant_type" }, dated());
    }
  });
  tokenUrl = `${server.url}${tokenPath}`;

  return {
    ...server,
    tokenUrl,
    discoveryUrl: `${server.url}/.well-known/openid-configuration`,
    requests,
    discoveries,
    until: (n) => arrivals.until(n).then(() => requests[n - 1] as TokenRequestRecord),
    hold: () => gate.hold(),
    failNext(count, status = 500, body = { message: "token service unavailable" }) {
      for (let i = 0; i < count; i += 1) failures.push({ status, body });
    },
    issueCode(grant) {
      const code = randomBytes(16).toString("hex");
      codes.set(code, grant);
      return code;
    },
    revokeRefreshTokens: () => refreshTokens.clear(),
  };
}
