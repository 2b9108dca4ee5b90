/**
 * An API on loopback that verifies what each request carries (JWT signature, `exp` on the test's
 * clock, tenant claim; static bearer tokens, API keys, HTTP basic users) and records it exactly.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { JWTPayload } from "jose";
import type { Clock } from "../../../src/index.js";
import { createArrivals, createGate } from "../../support/events.js";
import { claimsOf, type Signer } from "../../support/jwt.js";
import { json, startLoopback, type Loopback } from "../../support/loopback.js";

export interface ApiServerOptions {
  readonly signer?: Signer;
  /** Judges JWT `exp`; the same clock as the credentials'. */
  readonly clock: Clock;
  /** Accepted static bearer tokens (EUDR, Arrotech API keys). */
  readonly bearerTokens?: ReadonlySet<string>;
  /** Accepted `X-Api-Key` values (mutable: rotation adds and removes keys). */
  readonly apiKeys?: Set<string>;
  readonly tenantClaim?: string;
  /** Accepted HTTP basic `user:password` pairs. */
  readonly basicUsers?: ReadonlySet<string>;
  /** IMS `AUTH_MODE=dev`: no validation at all. */
  readonly devMode?: boolean;
  /**
   * Atlas: "never both". A request carrying `Authorization` and `X-Api-Key` is answered 400 and
   * counted in `both`. Off for APIs whose requirement asks for both. @default true
   */
  readonly oneScheme?: boolean;
}

export type ApiScheme = "bearer" | "basic" | "apiKey" | "both" | "none";

export interface ApiRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly scheme: ApiScheme;
  /** The bearer token sent, if any. */
  readonly token?: string;
  readonly apiKey?: string;
  /** Tenant claim of a verified JWT. */
  readonly tenant?: string;
  readonly headers: IncomingHttpHeaders;
}

/** `requests` are the checked requests (a verified JWT's tenant added once checked); `until(n)` resolves at the n-th's arrival. */
export interface ApiServer extends Loopback<ApiRequestRecord> {
  /** Requests that carried an expired JWT (by the server's clock). */
  readonly expired: number;
  /** Requests whose JWT tenant differed from the `x-expected-tenant` header. */
  readonly wrongTenant: number;
  /** Requests carrying both schemes where the API takes one. */
  readonly both: number;
  /** Holds answers (decided after release) until the returned function is called. */
  hold(): () => void;
  /** Answers every later request carrying this bearer token 401 (revoked server-side). */
  revoke(token: string): void;
  /** Answers the next `count` bearer requests 401. */
  rejectNext(count: number): void;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const state = { expired: 0, wrongTenant: 0, both: 0, reject: 0 };
  const revoked = new Set<string>();
  const requests: ApiRequestRecord[] = [];
  const arrivals = createArrivals();
  const gate = createGate();
  const oneScheme = options.oneScheme ?? true;

  /** A bearer token's verdict: the tenant it carries, or the 401 to answer. */
  async function checkBearer(token: string): Promise<{ tenant?: string; via: string } | { status: number; code: string }> {
    if (revoked.has(token)) return { status: 401, code: "TOKEN_REVOKED" };
    if (state.reject > 0) {
      state.reject -= 1;
      return { status: 401, code: "TOKEN_REVOKED" };
    }
    if (options.bearerTokens?.has(token)) return { via: "static" };
    if (!options.signer) return { status: 401, code: "INVALID_TOKEN" };
    const claims = claimsOf(token);
    if (claims === undefined) return { status: 401, code: "INVALID_TOKEN" };
    if (typeof claims.exp === "number" && options.clock.now() >= claims.exp * 1000) {
      state.expired += 1;
      return { status: 401, code: "TOKEN_EXPIRED" };
    }
    let payload: JWTPayload;
    try {
      payload = await options.signer.verify(token, options.clock.now());
    } catch {
      return { status: 401, code: "INVALID_TOKEN" };
    }
    const tenant = options.tenantClaim ? (payload[options.tenantClaim] as string | undefined) : undefined;
    return { via: "jwt", ...(tenant !== undefined ? { tenant } : {}) };
  }

  const server = await startLoopback(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://api.test");
    const path = url.pathname;
    const auth = req.headers.authorization;
    const key = typeof req.headers["x-api-key"] === "string" ? req.headers["x-api-key"] : undefined;
    const bearer = typeof auth === "string" && auth.startsWith("Bearer ") ? auth.slice(7) : undefined;
    const scheme: ApiScheme = auth !== undefined && key !== undefined ? "both" : bearer !== undefined ? "bearer" : auth !== undefined ? "basic" : key !== undefined ? "apiKey" : "none";
    const verdicts: { tenant?: string } = {};
    const record = (): ApiRequestRecord => ({
      method: req.method ?? "",
      path,
      query: Object.fromEntries(url.searchParams),
      scheme,
      ...(bearer !== undefined ? { token: bearer } : {}),
      ...(key !== undefined ? { apiKey: key } : {}),
      ...(verdicts.tenant !== undefined ? { tenant: verdicts.tenant } : {}),
      headers: req.headers,
    });
    const index = requests.push(record()) - 1;
    arrivals.bump();
    await gate.pass();

    if (scheme === "both" && oneScheme) {
      state.both += 1;
      return json(res, 400, { code: "BOTH_SCHEMES_SENT", message: "send one of Authorization and X-Api-Key" });
    }
    if (path === "/always-401") return json(res, 401, { code: "INVALID_TOKEN", message: "nope" });
    if (key !== undefined && !options.apiKeys?.has(key)) return json(res, 401, { code: "INVALID_API_KEY", message: "unknown key" });
    let via: string;
    if (bearer !== undefined) {
      const verdict = await checkBearer(bearer);
      if ("status" in verdict) return json(res, verdict.status, { code: verdict.code, message: "bearer token refused" });
      if (verdict.tenant !== undefined) {
        verdicts.tenant = verdict.tenant;
        requests[index] = record();
      }
      const expected = req.headers["x-expected-tenant"];
      if (typeof expected === "string" && expected !== verdict.tenant) {
        state.wrongTenant += 1;
        return json(res, 403, { code: "WRONG_TENANT", message: "token of another tenant" });
      }
      via = key !== undefined ? "both" : verdict.via;
    } else if (auth !== undefined) {
      const basic = /^basic /i.test(auth) ? Buffer.from(auth.slice(6), "base64").toString("utf8") : undefined;
      if (basic === undefined || !options.basicUsers?.has(basic)) return json(res, 401, { code: "INVALID_CREDENTIALS", message: "unknown user" });
      via = "basic";
    } else if (key !== undefined) {
      via = "apiKey";
    } else {
      if (!options.devMode) return json(res, 401, { code: "AUTHENTICATION_REQUIRED", message: "no credential" });
      via = "dev";
    }
    return json(res, 200, { ok: true, via, ...(verdicts.tenant !== undefined ? { tenant: verdicts.tenant } : {}) });
  });
  // Getters defined, not assigned: Object.assign would copy their values once (always 0).
  return Object.defineProperties(
    {
      ...server,
      requests,
      until: (n: number) => arrivals.until(n).then(() => requests[n - 1] as ApiRequestRecord),
      hold: () => gate.hold(),
      revoke: (token: string) => void revoked.add(token),
    },
    {
      rejectNext: { value: (count: number) => void (state.reject += count) },
      expired: { get: () => state.expired, enumerable: true },
      wrongTenant: { get: () => state.wrongTenant, enumerable: true },
      both: { get: () => state.both, enumerable: true },
    },
  ) as ApiServer;
}
