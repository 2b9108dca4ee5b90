/**
 * A small loopback API in the shape of IMS (`GET /v1/me`, `GET /v1/items`) that accepts only JWT
 * access tokens the provider signed (verified against its JWKS, issuer, audience, expiry with no
 * clock tolerance). It counts what it accepted and why it refused.
 */
import { createServer, type Server } from "node:http";
import { createRemoteJWKSet, errors, jwtVerify } from "jose";

export interface ProtectedApi {
  readonly url: string;
  readonly stats: { accepted: number; expired: number; invalid: number; missing: number };
  stop(): Promise<void>;
}

export async function startProtectedApi({ issuer, audience, jwksUrl }: { issuer: string; audience: string; jwksUrl: string }): Promise<ProtectedApi> {
  const jwks = createRemoteJWKSet(new URL(jwksUrl));
  const stats = { accepted: 0, expired: 0, invalid: 0, missing: 0 };
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown): void => {
    // `Date` from the clock the API judges expiry by (which a test may fake), not Node's real one.
    res.writeHead(status, { "content-type": "application/json", date: new Date().toUTCString() }).end(JSON.stringify(body));
  };
  const server: Server = createServer(async (req, res) => {
    const header = req.headers.authorization ?? "";
    if (!header.startsWith("Bearer ")) {
      stats.missing += 1;
      return json(res, 401, { code: "UNAUTHORIZED", message: "Missing bearer token" });
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(header.slice(7), jwks, { issuer, audience, clockTolerance: 0 }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        stats.expired += 1;
        return json(res, 401, { code: "TOKEN_EXPIRED", message: "The access token has expired" });
      }
      stats.invalid += 1;
      return json(res, 401, { code: "UNAUTHORIZED", message: "Invalid token" });
    }
    stats.accepted += 1;
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/v1/me") {
      return json(res, 200, { tenantId: "3f1c9a6e-8b2d-4c7a-9e5f-1a2b3c4d5e6f", subject: payload.sub, permissions: String(payload["scope"] ?? "").split(" ").filter(Boolean), authMode: "jwt" });
    }
    if (url.pathname === "/v1/items") return json(res, 200, { data: [], hasMore: false, nextCursor: null });
    return json(res, 404, { code: "NOT_FOUND", message: "No such route" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
