/**
 * panva's `oidc-provider` 8 (a certified OpenID Provider) on loopback, configured for machine
 * tokens and user sign-in with JWT access tokens for one API (resource indicators), short token
 * lifetimes, PKCE required, and the dev login/consent pages. Counts every grant it completes.
 */
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
// oidc-provider ships no type declarations; its surface used here is small.
// @ts-expect-error -- untyped module
import Provider from "oidc-provider";

export const RESOURCE = "https://api.atrope.dev";
export const RESOURCE_SCOPES = "inventory:read catalog:read";

/** The running provider and what it has seen. */
export interface TestProvider {
  readonly issuer: string;
  readonly tokenUrl: string;
  readonly authorizationUrl: string;
  readonly jwksUrl: string;
  /** Completed grants by `grant_type` (from `grant.success`). */
  readonly grants: Record<string, number>;
  readonly machine: { readonly clientId: string; readonly clientSecret: string };
  readonly web: { readonly clientId: string; readonly clientSecret: string; readonly redirectUri: string };
  stop(): Promise<void>;
}

interface ProviderEvents {
  on(event: "grant.success", listener: (ctx: { oidc: { params?: { grant_type?: string } } }) => void): void;
  use(middleware: (ctx: { set(name: string, value: string): void }, next: () => Promise<void>) => Promise<void>): void;
  callback(): (req: unknown, res: unknown) => void;
}

/** Starts the provider on a free loopback port; `accessTokenTtlSeconds` applies to every access token. */
export async function startProvider({ accessTokenTtlSeconds }: { accessTokenTtlSeconds: number }): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const issuer = `http://127.0.0.1:${port}`;

  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: "test-rs256", alg: "RS256", use: "sig" };
  const machine = { clientId: "inventory-job", clientSecret: "machine-secret-0123456789abcdefghijklmnop" };
  const web = { clientId: "inventory-web", clientSecret: "web-secret-0123456789abcdefghijklmnopqrstu", redirectUri: "http://127.0.0.1:8765/callback" };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: machine.clientId,
        client_secret: machine.clientSecret,
        grant_types: ["client_credentials"],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: "client_secret_post",
      },
      {
        client_id: web.clientId,
        client_secret: web.clientSecret,
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: [web.redirectUri],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [signingKey] },
    scopes: ["openid", "offline_access", ...RESOURCE_SCOPES.split(" ")],
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== RESOURCE) throw new Error(`unknown resource ${resource}`);
          return { scope: RESOURCE_SCOPES, audience: RESOURCE, accessTokenFormat: "jwt", accessTokenTTL: accessTokenTtlSeconds, jwt: { sign: { alg: "RS256" } } };
        },
      },
    },
    ttl: {
      ClientCredentials: accessTokenTtlSeconds,
      AccessToken: accessTokenTtlSeconds,
      IdToken: 600,
      RefreshToken: 3600,
      Grant: 3600,
      Session: 3600,
      Interaction: 600,
    },
    cookies: { keys: ["conformance-test-cookie-key-0123456789"] },
  }) as ProviderEvents;

  const grants: Record<string, number> = {};
  provider.on("grant.success", (ctx) => {
    const type = ctx.oidc.params?.grant_type ?? "unknown";
    grants[type] = (grants[type] ?? 0) + 1;
  });
  // The `Date` header from the provider's own clock (`Date`, which a test may fake): Node's
  // automatic one reads the real clock, and a client judges clock skew by it.
  provider.use(async (ctx, next) => {
    await next();
    ctx.set("date", new Date().toUTCString());
  });
  server.on("request", provider.callback());

  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    authorizationUrl: `${issuer}/auth`,
    jwksUrl: `${issuer}/jwks`,
    grants,
    machine,
    web,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
