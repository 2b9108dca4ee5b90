/**
 * The ERIP sandbox over loopback HTTP with plain fetch: every fact of seeds/erip-auth.txt, and
 * every error it answers is one the spec declares.
 */
import { createHash } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEripSandbox, ERIP_AUDIENCE, ERIP_ISSUER, type EripControl } from "../src/apis/erip/index.js";
import { runSandbox, type RunningSandbox } from "../src/framework/run-sandbox.js";
import type { SandboxApiOptions } from "../src/types.js";
import { createSpecConformance } from "./support/spec-conformance.js";

const { doc, index, request, expectDeclaredError } = createSpecConformance("erip");

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown> & { code?: string; data?: Array<Record<string, unknown>> };
}

type Credential = { jwt: string } | { key: string } | { jwt: string; key: string } | null;

interface Erip {
  readonly sandbox: RunningSandbox<"erip">;
  readonly control: EripControl;
  call(method: string, path: string, credential: Credential, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  jwt(email: string): Promise<string>;
}

async function startErip(options: SandboxApiOptions = {}): Promise<Erip> {
  const sandbox = await runSandbox({ erip: createEripSandbox }, { apis: ["erip"], options: { erip: options } });
  const control = sandbox.apis.erip.control;
  return {
    sandbox,
    control,
    async call(method, path, credential, body, headers = {}) {
      const sent: Record<string, string> = {
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(credential && "jwt" in credential ? { Authorization: `Bearer ${credential.jwt}` } : {}),
        ...(credential && "key" in credential ? { "X-Api-Key": credential.key } : {}),
        ...headers,
      };
      return (await request(control.baseUrl, method, path, sent, body)) as Reply;
    },
    jwt: async (email) => (await control.signIn(email)).token,
  };
}

const SIEMENS = "0d5f2c3e-7b1a-4e9f-8c6d-2a1b3c4d5e01";
const MINUTE = 60_000;

let erip: Erip;
beforeAll(async () => {
  erip = await startErip();
});
afterAll(() => erip?.sandbox.stop());

describe("ERIP scheme ↔ endpoint matrix (seed: Scheme ↔ endpoint matrix)", () => {
  it("declares the matrix in the spec: tenant JWT only, data plane and self-service both, sign-in public", () => {
    const both = [{ bearerAuth: [] }, { apiKeyAuth: [] }];
    const publicOps = ["GET /v1/auth/accept-invite", "GET /v1/auth/login-link", "POST /v1/auth/request-login-link"];
    for (const op of index.operations) {
      if (op.template.startsWith("/v1/tenant/")) expect(op.security, op.key).toEqual([{ bearerAuth: [] }]);
      else if (publicOps.includes(op.key)) expect(op.security, op.key).toEqual([]);
      else expect(op.security, op.key).toEqual(both);
    }
    const schemes = doc.components?.["securitySchemes"] as Record<string, Record<string, unknown>>;
    expect(schemes["apiKeyAuth"]).toMatchObject({ type: "apiKey", in: "header", name: "X-Api-Key" });
    expect(schemes["bearerAuth"]).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
  });

  it("GET /v1/companies/search?name=Siemens with X-Api-Key (the seed's example), and with a JWT", async () => {
    const { keys } = erip.control.seeded;
    for (const credential of [{ key: keys.janeKey.key }, { key: keys.acmeService.key }, { jwt: await erip.jwt("jane@acme.test") }]) {
      const reply = await erip.call("GET", "/v1/companies/search?name=Siemens", credential);
      expect(reply.status).toBe(200);
      expect(reply.body.data?.map((c) => c["name"])).toContain("Siemens AG");
    }
  });

  it("POST /v1/mcp takes both credentials", async () => {
    const rpc = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    for (const credential of [{ key: erip.control.seeded.keys.acmeService.key }, { jwt: await erip.jwt("sam@acme.test") }]) {
      const reply = await erip.call("POST", "/v1/mcp", credential, rpc);
      expect(reply.status).toBe(200);
      expect((reply.body["result"] as { tools: Array<{ name: string }> }).tools.map((t) => t.name)).toEqual(["search_companies", "get_company_detail"]);
    }
  });

  it("/v1/auth self-service (me, credits, api-keys) takes both", async () => {
    const credentials = [{ key: erip.control.seeded.keys.samKey.key }, { jwt: await erip.jwt("sam@acme.test") }];
    for (const credential of credentials) {
      const me = await erip.call("GET", "/v1/auth/me", credential);
      expect(me.body).toMatchObject({ user: { email: "sam@acme.test", tenantRole: "Member" }, tenant: { displayName: "Acme Capital Partners", tier: "Starter" } });
      expect((await erip.call("GET", "/v1/auth/credits", credential)).body).toMatchObject({ tenantId: erip.control.seeded.tenants.acme.id });
      expect((await erip.call("GET", "/v1/auth/api-keys", credential)).status).toBe(200);
    }
    const service = await erip.call("GET", "/v1/auth/me", { key: erip.control.seeded.keys.acmeService.key });
    expect(service.body).toMatchObject({ user: null, credential: { type: "serviceKey", prefix: erip.control.seeded.keys.acmeService.prefix } });
    const denied = await erip.call("POST", "/v1/auth/api-keys", { key: erip.control.seeded.keys.acmeService.key }, { name: "nope" });
    expectDeclaredError(denied, "POST", "/v1/auth/api-keys", 403, "USER_CREDENTIAL_REQUIRED");
  });

  const tenantOps: ReadonlyArray<[method: string, path: string, body?: unknown]> = [
    ["GET", "/v1/tenant/invites"],
    ["POST", "/v1/tenant/invites", { email: "matrix@acme.test", name: "Matrix" }],
    ["DELETE", "/v1/tenant/invites/00000000-0000-4000-8000-000000000000"],
    ["GET", "/v1/tenant/members"],
    ["PATCH", "/v1/tenant/members/00000000-0000-4000-8000-000000000000", { tenantRole: "Member" }],
    ["GET", "/v1/tenant/api-keys/service"],
    ["POST", "/v1/tenant/api-keys/service", { name: "matrix" }],
    ["DELETE", "/v1/tenant/api-keys/service/00000000-0000-4000-8000-000000000000"],
    ["GET", "/v1/tenant/contact"],
    ["PUT", "/v1/tenant/contact", { contactName: "Jane Doe", billingEmail: "billing@acme.test" }],
    ["GET", "/v1/tenant/credits"],
    ["GET", "/v1/tenant/credits/history?limit=50"],
  ];

  it("covers every /v1/tenant operation of the spec", () => {
    const keysOf = (ops: typeof tenantOps) => ops.map(([m, p]) => index.match(m, p.split("?")[0] ?? p)?.operation.key).sort();
    expect(keysOf(tenantOps)).toEqual(index.operations.filter((o) => o.template.startsWith("/v1/tenant/")).map((o) => o.key).sort());
  });

  it.each(tenantOps)("%s %s: API keys 401 JWT_REQUIRED, member JWT 403 TENANT_ADMIN_REQUIRED, admin JWT passes", async (method, path, body) => {
    const { keys } = erip.control.seeded;
    // Even the admin's own user key cannot reach the admin surface: a leaked key cannot escalate.
    for (const key of [keys.janeKey.key, keys.acmeService.key]) {
      expectDeclaredError(await erip.call(method, path, { key }, body), method, path, 401, "JWT_REQUIRED");
    }
    expectDeclaredError(await erip.call(method, path, null, body), method, path, 401, "AUTHENTICATION_REQUIRED");
    expectDeclaredError(await erip.call(method, path, { jwt: await erip.jwt("sam@acme.test") }, body), method, path, 403, "TENANT_ADMIN_REQUIRED");
    const admin = await erip.call(method, path, { jwt: await erip.jwt("jane@acme.test") }, body);
    if (path.includes("00000000-0000")) expectDeclaredError(admin, method, path, 404, "NOT_FOUND");
    else expect(admin.status, JSON.stringify(admin.body)).toBeLessThan(300);
  });

  it("401 AUTHENTICATION_REQUIRED with no credential on the data plane", async () => {
    expectDeclaredError(await erip.call("GET", "/v1/companies/search?name=Siemens", null), "GET", "/v1/companies/search", 401, "AUTHENTICATION_REQUIRED");
  });
});

describe("ERIP first-time sign-in (seed: Accept the invite, magic link, LoginResponse)", () => {
  it("accept-invite activates the account, clears the invite token and emails a magic link", async () => {
    const { control } = erip;
    const invite = control.lastEmail("peter@initech.test", "invite");
    expect(invite?.link).toBe(`${control.baseUrl}/v1/auth/accept-invite?token=${encodeURIComponent(control.seeded.invites.peter)}`);
    expect(control.seeded.users.peter.status).toBe("Invited");
    // An invited user cannot get a magic link by asking.
    await erip.call("POST", "/v1/auth/request-login-link", null, { email: "peter@initech.test" });
    expect(control.lastEmail("peter@initech.test", "login-link")).toBeUndefined();

    const accepted = await fetch(invite?.link ?? "");
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ status: "Active", email: "peter@initech.test" });
    expect(control.seeded.users.peter.status).toBe("Active");
    expect(control.seeded.users.peter.inviteTokenHash).toBeNull();

    const again = await erip.call("GET", `/v1/auth/accept-invite?token=${encodeURIComponent(control.seeded.invites.peter)}`, null);
    expectDeclaredError(again, "GET", "/v1/auth/accept-invite", 400, "INVITE_INVALID");

    const magic = control.lastEmail("peter@initech.test", "login-link");
    expect(magic?.link).toMatch(new RegExp(`^${control.baseUrl}/v1/auth/login-link\\?token=`));
    const login = await fetch(magic?.link ?? "");
    expect(login.status).toBe(200);
    const body = (await login.json()) as Record<string, unknown>;
    const tenant = control.seeded.tenants.initech;
    expect(body).toEqual({
      token: expect.stringMatching(/^eyJ/),
      expiresAt: expect.any(String),
      user: { id: control.seeded.users.peter.id, name: "Peter Gibbons", email: "peter@initech.test", tenantRole: "Admin", tenantId: tenant.id },
      tenant: { id: tenant.id, displayName: "Initech Holdings", tier: "Trial" },
    });
    // The first admin can administer the new tenant right away.
    const members = await erip.call("GET", "/v1/tenant/members", { jwt: body["token"] as string });
    expect(members.body.data).toEqual([expect.objectContaining({ email: "peter@initech.test", status: "Active", tenantRole: "Admin" })]);
  });

  it("the JWT is HS256, carries tenantRole and tenantId, and lasts 60 minutes", async () => {
    const { control } = erip;
    await erip.call("POST", "/v1/auth/request-login-link", null, { email: "sam@acme.test" });
    const before = erip.sandbox.clock.now();
    const login = await erip.call("GET", `/v1/auth/login-link?token=${encodeURIComponent(control.lastEmail("sam@acme.test", "login-link")?.token ?? "")}`, null);
    const token = login.body["token"] as string;
    expect(decodeProtectedHeader(token).alg).toBe("HS256");
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: control.seeded.users.sam.id, tenantId: control.seeded.tenants.acme.id, tenantRole: "Member", iss: ERIP_ISSUER, aud: ERIP_AUDIENCE });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    const expiresAt = Date.parse(login.body["expiresAt"] as string);
    expect(Math.abs(expiresAt - (before + 60 * MINUTE))).toBeLessThan(5_000);

    expect((await erip.call("GET", "/v1/auth/me", { jwt: token })).status).toBe(200);
    erip.sandbox.clock.advance(60 * MINUTE + 1_000);
    try {
      expectDeclaredError(await erip.call("GET", "/v1/auth/me", { jwt: token }), "GET", "/v1/auth/me", 401, "TOKEN_EXPIRED");
      expectDeclaredError(await erip.call("GET", "/v1/tenant/credits", { jwt: token }), "GET", "/v1/tenant/credits", 401, "TOKEN_EXPIRED");
    } finally {
      erip.sandbox.clock.reset();
    }
  });

  it("magic links are single-use", async () => {
    await erip.call("POST", "/v1/auth/request-login-link", null, { email: "jane@acme.test" });
    const path = `/v1/auth/login-link?token=${encodeURIComponent(erip.control.lastEmail("jane@acme.test", "login-link")?.token ?? "")}`;
    expect((await erip.call("GET", path, null)).status).toBe(200);
    expectDeclaredError(await erip.call("GET", path, null), "GET", "/v1/auth/login-link", 401, "LOGIN_LINK_INVALID");
    expectDeclaredError(await erip.call("GET", "/v1/auth/login-link?token=never-issued", null), "GET", "/v1/auth/login-link", 401, "LOGIN_LINK_INVALID");
    expectDeclaredError(await erip.call("GET", "/v1/auth/login-link", null), "GET", "/v1/auth/login-link", 400, "VALIDATION_ERROR");
  });

  it("magic links expire after 15 minutes", async () => {
    const { control, sandbox } = erip;
    const link = async () => {
      await erip.call("POST", "/v1/auth/request-login-link", null, { email: "hank@globex.test" });
      return `/v1/auth/login-link?token=${encodeURIComponent(control.lastEmail("hank@globex.test", "login-link")?.token ?? "")}`;
    };
    try {
      const early = await link();
      sandbox.clock.advance(14 * MINUTE);
      expect((await erip.call("GET", early, null)).status).toBe(200);
      const late = await link();
      sandbox.clock.advance(15 * MINUTE + 1_000);
      expectDeclaredError(await erip.call("GET", late, null), "GET", "/v1/auth/login-link", 401, "LOGIN_LINK_EXPIRED");
    } finally {
      sandbox.clock.reset();
    }
  });

  it("request-login-link always answers 200 with the same body (no account enumeration)", async () => {
    const sent = erip.control.outbox.length;
    const known = await erip.call("POST", "/v1/auth/request-login-link", null, { email: "jane@acme.test" });
    const unknown = await erip.call("POST", "/v1/auth/request-login-link", null, { email: "nobody@nowhere.test" });
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(unknown.body).toEqual(known.body);
    expect(erip.control.outbox.slice(sent).map((m) => m.to)).toEqual(["jane@acme.test"]);
  });

  it("no public registration: invites come from a tenant admin, and are accepted the same way", async () => {
    const jane = await erip.jwt("jane@acme.test");
    const created = await erip.call("POST", "/v1/tenant/invites", { jwt: jane }, { email: "ola@acme.test", name: "Ola Nordmann" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: "ola@acme.test", tenantRole: "Member", status: "Pending" });
    expectDeclaredError(await erip.call("POST", "/v1/tenant/invites", { jwt: jane }, { email: "ola@acme.test", name: "Ola" }), "POST", "/v1/tenant/invites", 409, "CONFLICT");
    const invite = erip.control.lastEmail("ola@acme.test", "invite");
    expect((await fetch(invite?.link ?? "")).status).toBe(200);
    const listed = await erip.call("GET", "/v1/tenant/invites", { jwt: jane });
    expect(listed.body.data).toContainEqual(expect.objectContaining({ email: "ola@acme.test", status: "Accepted" }));
    expect(erip.control.lastEmail("ola@acme.test", "login-link")).toBeDefined();
  });

  it("invites expire after 7 days", async () => {
    const jane = await erip.jwt("jane@acme.test");
    await erip.call("POST", "/v1/tenant/invites", { jwt: jane }, { email: "late@acme.test", name: "Late" });
    const token = erip.control.lastEmail("late@acme.test", "invite")?.token ?? "";
    erip.sandbox.clock.advance(7 * 24 * 60 * MINUTE + 1_000);
    try {
      expectDeclaredError(await erip.call("GET", `/v1/auth/accept-invite?token=${encodeURIComponent(token)}`, null), "GET", "/v1/auth/accept-invite", 400, "INVITE_EXPIRED");
    } finally {
      erip.sandbox.clock.reset();
    }
  });

  it("rejects JWTs it did not sign, even with an Admin claim", async () => {
    const forged = await new SignJWT({ tenantId: erip.control.seeded.tenants.acme.id, tenantRole: "Admin" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(erip.control.seeded.users.sam.id)
      .setIssuer(ERIP_ISSUER)
      .setAudience(ERIP_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-sandbox-secret-not-the-sandbox-secret"));
    expectDeclaredError(await erip.call("GET", "/v1/tenant/members", { jwt: forged }), "GET", "/v1/tenant/members", 401, "INVALID_TOKEN");
    expectDeclaredError(await erip.call("GET", "/v1/auth/me", { jwt: "not.a.jwt" }), "GET", "/v1/auth/me", 401, "INVALID_TOKEN");
  });
});

describe("ERIP API keys (seed: API keys, Manage keys)", () => {
  it("user key: raw key once, SHA-256 at rest, 8-character prefix, revocation immediate", async () => {
    const jwt = await erip.jwt("jane@acme.test");
    const created = await erip.call("POST", "/v1/auth/api-keys", { jwt }, { name: "Production" });
    expect(created.status).toBe(201);
    const key = created.body["key"] as string;
    expect(key).toMatch(/^erip_[A-Za-z0-9]{32,}$/);
    expect(created.body).toMatchObject({ name: "Production", type: "user", prefix: key.slice(0, 8), userId: erip.control.seeded.users.jane.id });
    expect(key.slice(0, 8)).toMatch(/^erip_.{3}$/);

    const listed = await erip.call("GET", "/v1/auth/api-keys", { jwt });
    const entry = listed.body.data?.find((k) => k["id"] === created.body["id"]);
    expect(entry).toMatchObject({ prefix: key.slice(0, 8) });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    const stored = erip.control.keyRecords();
    expect(stored.find((r) => r.id === created.body["id"])?.keyHash).toBe(createHash("sha256").update(key).digest("hex"));
    expect(JSON.stringify(stored)).not.toContain(key);

    expect((await erip.call("GET", "/v1/companies/search?name=SAP", { key })).status).toBe(200);
    expect((await erip.call("DELETE", `/v1/auth/api-keys/${created.body["id"] as string}`, { key })).status).toBe(204);
    expectDeclaredError(await erip.call("GET", "/v1/companies/search?name=SAP", { key }), "GET", "/v1/companies/search", 401, "API_KEY_REVOKED");
    // Someone else's key is not yours to revoke.
    const other = erip.control.seeded.keys.samKey.id;
    expectDeclaredError(await erip.call("DELETE", `/v1/auth/api-keys/${other}`, { jwt }), "DELETE", `/v1/auth/api-keys/${other}`, 404, "NOT_FOUND");
  });

  it("service key: tenant admin JWT creates, lists and revokes; revocation immediate", async () => {
    const jwt = await erip.jwt("jane@acme.test");
    const created = await erip.call("POST", "/v1/tenant/api-keys/service", { jwt }, { name: "Daily ingest 2" });
    expect(created.status).toBe(201);
    const key = created.body["key"] as string;
    expect(created.body).toMatchObject({ type: "service", userId: null, prefix: key.slice(0, 8) });
    const listed = await erip.call("GET", "/v1/tenant/api-keys/service", { jwt });
    expect(listed.body.data?.map((k) => k["id"])).toContain(created.body["id"]);
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect((await erip.call("GET", "/v1/auth/credits", { key })).status).toBe(200);
    expect((await erip.call("DELETE", `/v1/tenant/api-keys/service/${created.body["id"] as string}`, { jwt })).status).toBe(204);
    expectDeclaredError(await erip.call("GET", "/v1/auth/credits", { key }), "GET", "/v1/auth/credits", 401, "API_KEY_REVOKED");
  });

  it("start-up summary shows fingerprints, never the key in the label, fingerprint or commands", () => {
    const summary = erip.control.summary();
    for (const c of summary.credentials) {
      expect(c.fingerprint).toMatch(/^erip_…[0-9a-f]{8}$/);
      expect(`${c.label} ${c.fingerprint} ${summary.commands.join(" ")}`).not.toContain(c.secret);
    }
  });

  it("401 INVALID_API_KEY for a malformed or unknown key", async () => {
    for (const key of ["erip_short", `erip_${"A".repeat(40)}`, `sk_live_${"a".repeat(40)}`]) {
      expectDeclaredError(await erip.call("GET", "/v1/companies/search?name=SAP", { key }), "GET", "/v1/companies/search", 401, "INVALID_API_KEY");
    }
  });

  it("user keys die when their user is suspended; service keys survive turnover", async () => {
    const own = await startErip();
    try {
      const { keys, users } = own.control.seeded;
      const admin = await own.jwt("jane@acme.test");
      const samJwt = await own.jwt("sam@acme.test");
      expect((await own.call("GET", "/v1/auth/me", { key: keys.samKey.key })).status).toBe(200);
      const suspended = await own.call("PATCH", `/v1/tenant/members/${users.sam.id}`, { jwt: admin }, { status: "Suspended" });
      expect(suspended.body).toMatchObject({ id: users.sam.id, status: "Suspended" });
      expectDeclaredError(await own.call("GET", "/v1/companies/search?name=SAP", { key: keys.samKey.key }), "GET", "/v1/companies/search", 401, "API_KEY_REVOKED");
      expectDeclaredError(await own.call("GET", "/v1/auth/me", { jwt: samJwt }), "GET", "/v1/auth/me", 401, "USER_SUSPENDED");
      expect((await own.call("GET", "/v1/companies/search?name=SAP", { key: keys.acmeService.key })).status).toBe(200);
      // Reinstated, Sam can sign in again, but the old key stays dead.
      await own.call("PATCH", `/v1/tenant/members/${users.sam.id}`, { jwt: admin }, { status: "Active" });
      expect((await own.call("GET", "/v1/auth/me", { jwt: samJwt })).status).toBe(200);
      expectDeclaredError(await own.call("GET", "/v1/auth/me", { key: keys.samKey.key }), "GET", "/v1/auth/me", 401, "API_KEY_REVOKED");
      // Admins cannot lock themselves out.
      expectDeclaredError(await own.call("PATCH", `/v1/tenant/members/${users.jane.id}`, { jwt: admin }, { status: "Suspended" }), "PATCH", `/v1/tenant/members/${users.jane.id}`, 409, "CONFLICT");
    } finally {
      await own.sandbox.stop();
    }
  });
});

describe("ERIP credits (seed: Credits, Attributed history)", () => {
  it("search costs 1, detail 50; every credited response carries X-Credits-Remaining and X-Credits-Cost; 402 when short", async () => {
    const own = await startErip({ initialCredits: 53 });
    try {
      const key = { key: own.control.seeded.keys.janeKey.key };
      const search = await own.call("GET", "/v1/companies/search?name=Siemens", key);
      expect([search.status, search.headers.get("x-credits-cost"), search.headers.get("x-credits-remaining")]).toEqual([200, "1", "52"]);
      const detail = await own.call("GET", `/v1/companies/${SIEMENS}/detail`, key);
      expect([detail.status, detail.headers.get("x-credits-cost"), detail.headers.get("x-credits-remaining")]).toEqual([200, "50", "2"]);
      expect(detail.body).toMatchObject({ id: SIEMENS, name: "Siemens AG", officers: expect.any(Array), financials: expect.any(Array) });
      // Unknown company: 404 and nothing charged.
      const missing = await own.call("GET", "/v1/companies/00000000-0000-4000-8000-000000000000/detail", key);
      expectDeclaredError(missing, "GET", "/v1/companies/00000000-0000-4000-8000-000000000000/detail", 404, "NOT_FOUND");
      // 2 left: detail is refused and charges nothing.
      const short = await own.call("GET", `/v1/companies/${SIEMENS}/detail`, key);
      expectDeclaredError(short, "GET", `/v1/companies/${SIEMENS}/detail`, 402, "INSUFFICIENT_CREDITS");
      expect([short.headers.get("x-credits-remaining"), short.headers.get("x-credits-cost")]).toEqual(["2", "50"]);
      // Down to zero, then a clean 402.
      for (const remaining of ["1", "0"]) expect((await own.call("GET", "/v1/companies/search?name=SAP", key)).headers.get("x-credits-remaining")).toBe(remaining);
      const zero = await own.call("GET", "/v1/companies/search?name=SAP", key);
      expectDeclaredError(zero, "GET", "/v1/companies/search", 402, "INSUFFICIENT_CREDITS");
      expect(zero.headers.get("x-credits-remaining")).toBe("0");
      expect(own.control.getCredits(own.control.seeded.tenants.acme.id)).toBe(0);
    } finally {
      await own.sandbox.stop();
    }
  });

  it("the pool is the tenant's: members share it, other tenants are untouched; costs are configurable", async () => {
    const own = await startErip({ initialCredits: 100, creditCosts: { search: 5 } });
    try {
      const { keys, tenants } = own.control.seeded;
      const bySam = await own.call("GET", "/v1/companies/search?name=SAP", { key: keys.samKey.key });
      expect([bySam.headers.get("x-credits-cost"), bySam.headers.get("x-credits-remaining")]).toEqual(["5", "95"]); // the seed's example numbers
      const jane = await own.jwt("jane@acme.test");
      expect((await own.call("GET", "/v1/tenant/credits", { jwt: jane })).body).toMatchObject({ tenantId: tenants.acme.id, balance: 95 });
      expect((await own.call("GET", "/v1/auth/credits", { key: keys.globexService.key })).body).toMatchObject({ tenantId: tenants.globex.id, balance: 100 });
      own.control.costs.detail = 7;
      const detail = await own.call("GET", `/v1/companies/${SIEMENS}/detail`, { jwt: jane });
      expect(detail.headers.get("x-credits-cost")).toBe("7");
    } finally {
      await own.sandbox.stop();
    }
  });

  it("history?limit=50 attributes each charge: tenant, user (null for service keys), endpoint, amount", async () => {
    const own = await startErip({ initialCredits: 1000 });
    try {
      const { keys, tenants, users } = own.control.seeded;
      const jane = await own.jwt("jane@acme.test");
      await own.call("GET", "/v1/companies/search?name=Siemens", { key: keys.acmeService.key });
      await own.call("GET", `/v1/companies/${SIEMENS}/detail`, { key: keys.samKey.key });
      await own.call("GET", "/v1/companies/search?name=BASF", { jwt: jane });
      await own.call("GET", "/v1/companies/search?name=Nestle", { key: keys.globexService.key });
      const history = await own.call("GET", "/v1/tenant/credits/history?limit=50", { jwt: jane });
      expect(history.status).toBe(200);
      expect(history.body.data).toEqual([
        expect.objectContaining({ tenantId: tenants.acme.id, userId: users.jane.id, credential: "jwt", apiKeyId: null, endpoint: "GET /v1/companies/search", amount: 1, balanceAfter: 948 }),
        expect.objectContaining({ tenantId: tenants.acme.id, userId: users.sam.id, credential: "userKey", apiKeyId: keys.samKey.id, endpoint: "GET /v1/companies/{companyId}/detail", amount: 50 }),
        expect.objectContaining({ tenantId: tenants.acme.id, userId: null, credential: "serviceKey", apiKeyId: keys.acmeService.id, endpoint: "GET /v1/companies/search", amount: 1 }),
      ]);
      const paged = await own.call("GET", "/v1/tenant/credits/history?limit=2", { jwt: jane });
      expect(paged.body.data).toHaveLength(2);
      const rest = await own.call("GET", `/v1/tenant/credits/history?limit=2&cursor=${paged.body["nextCursor"] as string}`, { jwt: jane });
      expect(rest.body).toMatchObject({ nextCursor: null });
      expect(rest.body.data).toHaveLength(1);
      expectDeclaredError(await own.call("GET", "/v1/tenant/credits/history?limit=501", { jwt: jane }), "GET", "/v1/tenant/credits/history", 400, "VALIDATION_ERROR");
    } finally {
      await own.sandbox.stop();
    }
  });

  it("MCP tool calls are credited like REST; free methods report the balance", async () => {
    const own = await startErip({ initialCredits: 51 });
    try {
      const key = { key: own.control.seeded.keys.acmeService.key };
      const list = await own.call("POST", "/v1/mcp", key, { jsonrpc: "2.0", id: "a", method: "tools/list" });
      expect([list.headers.get("x-credits-cost"), list.headers.get("x-credits-remaining")]).toEqual(["0", "51"]);
      const detail = await own.call("POST", "/v1/mcp", key, { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "get_company_detail", arguments: { companyId: SIEMENS } } });
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ jsonrpc: "2.0", id: 2, result: { isError: false, structuredContent: { name: "Siemens AG" } } });
      expect([detail.headers.get("x-credits-cost"), detail.headers.get("x-credits-remaining")]).toEqual(["50", "1"]);
      const again = await own.call("POST", "/v1/mcp", key, { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "get_company_detail", arguments: { companyId: SIEMENS } } });
      expectDeclaredError(again, "POST", "/v1/mcp", 402, "INSUFFICIENT_CREDITS");
      const unknown = await own.call("POST", "/v1/mcp", key, { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "drop_tables", arguments: {} } });
      expect(unknown.body).toMatchObject({ id: 4, error: { code: -32602 } });
    } finally {
      await own.sandbox.stop();
    }
  });

  it("tokenLifetimeSeconds shortens sessions", async () => {
    const own = await startErip({ tokenLifetimeSeconds: 5 });
    try {
      const claims = decodeJwt(await own.jwt("jane@acme.test"));
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(5);
    } finally {
      await own.sandbox.stop();
    }
  });
});

describe("ERIP bad requests get the spec's errors, never a 500", () => {
  it.each([
    ["bad JSON", "POST", "/v1/auth/api-keys", "{nope"],
    ["an unknown field", "POST", "/v1/auth/api-keys", { name: "x", scopes: ["all"] }],
    ["a missing name", "POST", "/v1/auth/api-keys", {}],
    ["a one-letter search", "GET", "/v1/companies/search?name=S", undefined],
    ["a missing search name", "GET", "/v1/companies/search", undefined],
    ["a non-UUID company id", "GET", "/v1/companies/siemens/detail", undefined],
    ["an unknown MCP method", "POST", "/v1/mcp", { jsonrpc: "2.0", id: 1, method: "resources/list" }],
  ])("400 VALIDATION_ERROR for %s", async (_label, method, path, body) => {
    const reply = await erip.call(method, path, { jwt: await erip.jwt("jane@acme.test") }, body);
    expectDeclaredError(reply, method, path, 400, "VALIDATION_ERROR");
  });

  it("400 for a malformed email on the public endpoint", async () => {
    expectDeclaredError(await erip.call("POST", "/v1/auth/request-login-link", null, { email: "not-an-email" }), "POST", "/v1/auth/request-login-link", 400, "VALIDATION_ERROR");
  });

  it("404 NOT_FOUND for an unknown route", async () => {
    const reply = await erip.call("GET", "/v1/register", null);
    expect([reply.status, reply.body.code]).toEqual([404, "NOT_FOUND"]);
  });
});
