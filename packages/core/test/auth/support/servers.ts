import { afterEach, beforeAll } from "vitest";
/**
 * Loopback servers for the auth tests: a token endpoint that signs real RS256 JWTs with jose, and
 * an API that verifies them (signature, `exp`, tenant claim) or checks static keys.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, generateKeyPair, jwtVerify, type JWTPayload, type CryptoKey } from "jose";

export interface Loopback {
  readonly url: string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export async function startServer(handler: Handler): Promise<Loopback> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString("utf8"))).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export interface Signer {
  sign(claims: JWTPayload, lifetimeSeconds: number | undefined): Promise<string>;
  verify(token: string): Promise<JWTPayload>;
}

export async function createSigner(issuer = "https://auth.test/"): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return {
    async sign(claims, lifetimeSeconds) {
      let jwt = new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT" }).setIssuer(issuer).setIssuedAt().setJti(randomBytes(8).toString("hex"));
      if (lifetimeSeconds !== undefined) jwt = jwt.setExpirationTime(`${lifetimeSeconds}s`);
      return jwt.sign(privateKey as CryptoKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey as CryptoKey, { issuer });
      return payload;
    },
  };
}

export interface AuthClient {
  readonly secret?: string;
  readonly tenant?: string;
  /** Scopes the client may get (default: whatever it asks for). */
  readonly permissions?: readonly string[];
}

export interface AuthServerOptions {
  readonly clients: Record<string, AuthClient>;
  readonly signer: Signer;
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
  /** Delay each token response. */
  readonly delayMs?: number;
}

export interface TokenRequestRecord {
  readonly contentType: string;
  readonly params: Record<string, unknown>;
}

export interface AuthServer extends Loopback {
  readonly tokenUrl: string;
  readonly requests: TokenRequestRecord[];
  /** Answer the next `count` token requests with `status` (default 500). */
  failNext(count: number, status?: number, body?: unknown): void;
  /** Issues an authorization code, as the authorize endpoint would after the user consents. */
  issueCode(grant: { clientId: string; redirectUri: string; codeChallenge?: string; scope?: string; tenant?: string }): string;
  /** Revokes every refresh token. */
  revokeRefreshTokens(): void;
}

function parseBody(req: IncomingMessage, body: string): { contentType: string; params: Record<string, unknown> } {
  const contentType = String(req.headers["content-type"] ?? "");
  if (contentType.startsWith("application/json")) return { contentType, params: JSON.parse(body) as Record<string, unknown> };
  return { contentType, params: Object.fromEntries(new URLSearchParams(body)) };
}

export async function startAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const tokenPath = options.tokenPath ?? "/oauth/token";
  const ns = options.claimsNamespace ?? "https://atrope.dev/claims/";
  const requests: TokenRequestRecord[] = [];
  const failures: { status: number; body: unknown }[] = [];
  const codes = new Map<string, { clientId: string; redirectUri: string; codeChallenge?: string; scope?: string; tenant?: string }>();
  const refreshTokens = new Map<string, { clientId: string; scope?: string; tenant?: string }>();

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
    const accessToken = await options.signer.sign(claims, options.includeExp === false ? undefined : lifetime);
    return {
      access_token: accessToken,
      token_type: "Bearer",
      ...(options.includeExpiresIn === false ? {} : { expires_in: options.expiresInOverride ?? lifetime }),
      ...(scope ? { scope } : {}),
      ...extra,
    };
  }

  const server = await startServer(async (req, res, body) => {
    if (req.method !== "POST" || req.url !== tokenPath) return json(res, 404, { error: "not_found" });
    const { contentType, params } = parseBody(req, body);
    requests.push({ contentType, params });
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const failure = failures.shift();
    if (failure) return json(res, failure.status, failure.body);
    const clientId = String(params.client_id ?? "");
    const client = options.clients[clientId];
    if (!client) return json(res, 401, { error: "invalid_client", error_description: `Unknown client ${clientId}` });
    if (client.secret !== undefined && params.client_secret !== client.secret) {
      // A careless server that echoes what it got: the client must redact it.
      return json(res, 401, { error: "invalid_client", error_description: `Client authentication failed for secret ${String(params.client_secret)}` });
    }
    switch (params.grant_type) {
      case "client_credentials": {
        const scope = typeof params.scope === "string" ? params.scope : undefined;
        const extra = typeof params.terminal_id === "string" ? { terminal_id: params.terminal_id } : {};
        return json(res, 200, await issue(clientId, scope, client.tenant, params.expires_in, { ...extra, ...(params.audience ? { aud: params.audience } : {}) }));
      }
      case "authorization_code": {
        const grant = codes.get(String(params.code));
        codes.delete(String(params.code));
        if (!grant || grant.clientId !== clientId || grant.redirectUri !== params.redirect_uri) {
          return json(res, 400, { error: "invalid_grant", error_description: "code is invalid" });
        }
        if (grant.codeChallenge !== undefined) {
          const verifier = String(params.code_verifier ?? "");
          const challenge = createHash("sha256").update(verifier).digest("base64url");
          if (challenge !== grant.codeChallenge) return json(res, 400, { error: "invalid_grant", error_description: "PKCE verification failed" });
        }
        const refreshToken = `rt_${randomBytes(24).toString("hex")}`;
        refreshTokens.set(refreshToken, { clientId, ...(grant.scope ? { scope: grant.scope } : {}), ...(grant.tenant ? { tenant: grant.tenant } : {}) });
        return json(res, 200, { ...(await issue(clientId, grant.scope, grant.tenant ?? client.tenant, undefined, {})), refresh_token: refreshToken });
      }
      case "refresh_token": {
        const presented = String(params.refresh_token);
        const grant = refreshTokens.get(presented);
        if (!grant || grant.clientId !== clientId) return json(res, 400, { error: "invalid_grant", error_description: "refresh token is invalid" });
        const tokens = await issue(clientId, grant.scope, grant.tenant ?? client.tenant, undefined, {});
        if (options.rotateRefreshTokens === false) return json(res, 200, tokens);
        refreshTokens.delete(presented);
        const next = `rt_${randomBytes(24).toString("hex")}`;
        refreshTokens.set(next, grant);
        return json(res, 200, { ...tokens, refresh_token: next });
      }
      default:
        return json(res, 400, { error: "unsupported_grant_type" });
    }
  });

  return {
    ...server,
    tokenUrl: `${server.url}${tokenPath}`,
    requests,
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

export interface ApiServerOptions {
  readonly signer?: Signer;
  /** Accepted static bearer tokens (EUDR, Arrotech API keys). */
  readonly bearerTokens?: ReadonlySet<string>;
  /** Accepted `X-Api-Key` values (mutable: rotation adds keys). */
  readonly apiKeys?: Set<string>;
  readonly tenantClaim?: string;
  /** IMS `AUTH_MODE=dev`: no validation at all. */
  readonly devMode?: boolean;
}

export interface ApiRequestRecord {
  readonly path: string;
  readonly scheme: "bearer" | "apiKey" | "none" | "both";
  readonly tenant?: string;
  readonly apiKey?: string;
}

export interface ApiServer extends Loopback {
  readonly received: ApiRequestRecord[];
  /** Requests that carried an expired JWT. */
  expired: number;
  /** Requests whose JWT tenant differed from the `x-expected-tenant` header. */
  wrongTenant: number;
  /** Requests carrying both schemes. */
  both: number;
  /** Answer the next `count` bearer requests with 401 (a token revoked server-side). */
  rejectNext(count: number): void;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const state = { expired: 0, wrongTenant: 0, both: 0, reject: 0 };
  const received: ApiRequestRecord[] = [];
  const server = await startServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const auth = req.headers.authorization;
    const key = req.headers["x-api-key"];
    if (auth !== undefined && key !== undefined) {
      state.both += 1;
      received.push({ path, scheme: "both" });
      return json(res, 400, { code: "CREDENTIAL_CONFLICT" });
    }
    if (path === "/always-401") {
      received.push({ path, scheme: auth ? "bearer" : "none" });
      return json(res, 401, { code: "INVALID_TOKEN", message: "nope" });
    }
    if (typeof key === "string") {
      received.push({ path, scheme: "apiKey", apiKey: key });
      return options.apiKeys?.has(key) ? json(res, 200, { ok: true, via: "apiKey" }) : json(res, 401, { code: "INVALID_API_KEY" });
    }
    if (typeof auth === "string" && auth.startsWith("Bearer ")) {
      const token = auth.slice(7);
      if (state.reject > 0) {
        state.reject -= 1;
        received.push({ path, scheme: "bearer" });
        return json(res, 401, { code: "TOKEN_REVOKED" });
      }
      if (options.bearerTokens?.has(token)) {
        received.push({ path, scheme: "bearer" });
        return json(res, 200, { ok: true, via: "static" });
      }
      if (!options.signer) return json(res, 401, { code: "INVALID_TOKEN" });
      // Decode first to tell an expired token from a bad one.
      const [, payloadPart] = token.split(".");
      let payload: JWTPayload;
      try {
        payload = JSON.parse(Buffer.from(payloadPart ?? "", "base64url").toString("utf8")) as JWTPayload;
      } catch {
        return json(res, 401, { code: "INVALID_TOKEN" });
      }
      if (typeof payload.exp === "number" && Date.now() >= payload.exp * 1000) {
        state.expired += 1;
        received.push({ path, scheme: "bearer" });
        return json(res, 401, { code: "TOKEN_EXPIRED" });
      }
      try {
        payload = await options.signer.verify(token);
      } catch {
        return json(res, 401, { code: "INVALID_TOKEN" });
      }
      const tenant = options.tenantClaim ? (payload[options.tenantClaim] as string | undefined) : undefined;
      received.push({ path, scheme: "bearer", ...(tenant !== undefined ? { tenant } : {}) });
      const expected = req.headers["x-expected-tenant"];
      if (typeof expected === "string" && expected !== tenant) {
        state.wrongTenant += 1;
        return json(res, 403, { code: "WRONG_TENANT" });
      }
      return json(res, 200, { ok: true, via: "jwt", tenant });
    }
    received.push({ path, scheme: "none" });
    return options.devMode ? json(res, 200, { ok: true, via: "dev" }) : json(res, 401, { code: "AUTHENTICATION_REQUIRED" });
  });
  return Object.assign(server, {
    received,
    rejectNext(count: number) {
      state.reject += count;
    },
    get expired() {
      return state.expired;
    },
    get wrongTenant() {
      return state.wrongTenant;
    },
    get both() {
      return state.both;
    },
  }) as ApiServer;
}

/**
 * Registers the loopback fixtures most auth tests share: one signing key pair per file, and every
 * server pushed to `open` closed after each test.
 */
export function useLoopbackFixtures(): { signer: Signer; readonly open: Loopback[] } {
  const fixtures = { signer: undefined as unknown as Signer, open: [] as Loopback[] };
  beforeAll(async () => {
    fixtures.signer = await createSigner();
  });
  afterEach(async () => {
    await Promise.all(fixtures.open.splice(0).map((server) => server.close()));
  });
  return fixtures;
}
