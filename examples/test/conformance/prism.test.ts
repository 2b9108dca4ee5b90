/**
 * Conformance against a peer we did not write: every generated client's calls go to Stoplight
 * Prism mocking the same spec with request validation on. Every operation of every spec (read
 * from the YAML) must have a call, every call must pass Prism's validation (no `sl-violations`,
 * a 2xx answer), and a request the spec rejects must be caught by the same check.
 */
import { randomBytes } from "node:crypto";
import { createArrotechApiClient } from "@arrotech/api-client";
import { createAtlasApiClient } from "@atlas-softpos/api-client";
import { createImsApiClient } from "@atrope-ai/api-client";
import { createEripApiClient } from "@erip/api-client";
import { createEudrApiClient } from "@nentropy/api-client";
import { apiKey, bearerToken, type ClientHooks } from "@portico/core";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrotechCalls } from "./calls/arrotech.js";
import { atlasCalls } from "./calls/atlas.js";
import { eripCalls } from "./calls/erip.js";
import { eudrCalls } from "./calls/eudr.js";
import { imsCalls } from "./calls/ims.js";
import type { CallTable } from "./calls/types.js";
import { prismViolations, startPrism, type PrismServer, type PrismViolation } from "./prism-server.js";
import { specFile, specOperations, type ApiName } from "./spec-operations.js";

const APIS: readonly ApiName[] = ["ims", "eudr", "atlas", "arrotech", "erip"];

/** What Prism said about one attempt of one call. */
interface Verdict {
  readonly operation: string;
  readonly status: number;
  readonly violations: PrismViolation[];
}

const alnum = (n: number): string => randomBytes(n * 2).toString("base64").replace(/[^A-Za-z0-9]/g, "").slice(0, n);
const jwt = await new SignJWT({ scope: "openid" }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("1h").sign(randomBytes(32));
const credentials = {
  jwt,
  eudr: `eudr_live_${randomBytes(24).toString("hex")}`,
  atlasKey: `sk_test_${alnum(24)}`,
  arrotechKey: `ak_test_${alnum(32)}`,
  eripKey: `erip_${alnum(40)}`,
};

/** Builds the call table of `api` against `baseUrl`, reporting every answer to `hooks`. */
function callTable(api: ApiName, baseUrl: string, hooks: ClientHooks): CallTable {
  const common = { baseUrl, hooks, retry: false as const };
  switch (api) {
    case "ims":
      return imsCalls(createImsApiClient({ ...common, auth: bearerToken(credentials.jwt) }));
    case "eudr":
      return eudrCalls(createEudrApiClient({ ...common, auth: bearerToken(credentials.eudr) }));
    case "atlas":
      return atlasCalls(createAtlasApiClient({ ...common, auth: bearerToken(credentials.jwt) }), createAtlasApiClient({ ...common, auth: apiKey(credentials.atlasKey) }));
    case "arrotech":
      return arrotechCalls(createArrotechApiClient({ ...common, auth: bearerToken(credentials.arrotechKey) }));
    case "erip":
      return eripCalls(createEripApiClient({ ...common, auth: bearerToken(credentials.jwt) }), createEripApiClient({ ...common, auth: apiKey(credentials.eripKey) }));
  }
}

/** A request each spec rejects, sent raw: a required body field missing or malformed. */
const BAD_REQUESTS: Record<ApiName, { path: string; headers: Record<string, string>; body: unknown }> = {
  ims: { path: "/v1/items", headers: { authorization: `Bearer ${credentials.jwt}`, "idempotency-key": "k-1" }, body: { name: "No SKU, no UOM" } },
  eudr: { path: "/suppliers", headers: { authorization: `Bearer ${credentials.eudr}` }, body: { name: "No country" } },
  atlas: { path: "/v1/transaction/sale", headers: { "x-api-key": credentials.atlasKey, "idempotency-key": "k-1" }, body: { type: "SALE", amount: 0, currency: "NZD" } },
  arrotech: { path: "/data/sources", headers: { authorization: `Bearer ${credentials.arrotechKey}` }, body: { name: "No type" } },
  erip: { path: "/v1/auth/request-login-link", headers: {}, body: { email: "not an email" } },
};

const servers = new Map<ApiName, PrismServer>();

beforeAll(async () => {
  // One Prism per spec, all started at once (each takes seconds to load its spec).
  const started = await Promise.allSettled(APIS.map(async (api) => servers.set(api, await startPrism(specFile(api)))));
  const failed = started.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}, 600_000);

afterAll(async () => {
  await Promise.all([...servers.values()].map((server) => server.stop()));
});

describe.each(APIS)("%s client against Prism (request validation on)", (api) => {
  it("has a call for every operation the spec declares, and none it does not", () => {
    const table = callTable(api, "http://127.0.0.1:9", {});
    expect(Object.keys(table).sort()).toEqual(specOperations(api));
  });

  it("makes every call in a form Prism accepts", async () => {
    const server = servers.get(api);
    if (!server) throw new Error(`no Prism for ${api}`);
    const verdicts: Verdict[] = [];
    const table = callTable(api, server.url, {
      onResponse: ({ operation, response }) => {
        verdicts.push({ operation, status: response.status, violations: prismViolations(response) });
      },
    });
    const problems: string[] = [];
    for (const [operation, call] of Object.entries(table)) {
      const result = await call();
      if (result.error) problems.push(`${operation}: ${(result.error as { code?: string }).code ?? "error"} (status ${result.meta.status ?? "none"})`);
    }
    for (const v of verdicts) {
      // Request violations are the client's fault; response violations mean Prism's mock answer
      // (the spec's own response `example`s) breaks the spec's schema: both fail the check.
      if (v.violations.length > 0) problems.push(`${v.operation}: Prism reported ${v.violations.map((x) => `${x.severity} ${x.location.join(".")}: ${x.message}`).join("; ")}`);
      if (v.status >= 300) problems.push(`${v.operation}: answered ${v.status}`);
    }
    expect(problems).toEqual([]);
    // Every operation reached Prism (none was refused locally).
    expect(new Set(verdicts.map((v) => v.operation)).size).toBe(specOperations(api).length);
  });

  it("catches a request the spec rejects (the check above can fail)", async () => {
    const server = servers.get(api);
    if (!server) throw new Error(`no Prism for ${api}`);
    const bad = BAD_REQUESTS[api];
    const response = await fetch(`${server.url}${bad.path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...bad.headers },
      body: JSON.stringify(bad.body),
    });
    await response.arrayBuffer();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(prismViolations(response).some((v) => v.severity === "Error" && v.location.includes("body"))).toBe(true);
  });
});

describe("a deliberately invalid call through a generated client", () => {
  it("is reported by Prism and fails the conformance check", async () => {
    const server = servers.get("atlas");
    if (!server) throw new Error("no Prism for atlas");
    const verdicts: Verdict[] = [];
    const atlas = createAtlasApiClient({
      baseUrl: server.url,
      auth: apiKey(credentials.atlasKey),
      retry: false,
      hooks: { onResponse: ({ operation, response }) => void verdicts.push({ operation, status: response.status, violations: prismViolations(response) }) },
    });
    // `amount` must be an integer >= 1; the cast stands in for a caller whose types drifted.
    const result = await atlas.POST("/v1/transaction/sale", { body: { type: "SALE", amount: -5 as unknown as number, currency: "nzd" } });
    expect(result.error?.status).toBeGreaterThanOrEqual(400);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]?.violations.map((v) => v.location.join("."))).toEqual(expect.arrayContaining(["request.body.amount", "request.body.currency"]));
  });
});
