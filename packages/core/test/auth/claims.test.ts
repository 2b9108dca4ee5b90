/**
 * The claim rule of token credentials: claim names given at construction (`claims`, or
 * `claimsNamespace` applied to each client's declared claims) are the credential's; without them,
 * each call is checked under the claim names its own client passes, for that call only. One
 * credential shared by two clients whose specs declare different claims: each client gets its
 * own tenant check, whichever calls first, and the token is still fetched once for both.
 * Through `createClient` against a loopback token endpoint signing RS256 JWTs with jose.
 */
import { describe, expect, it } from "vitest";
import { clientCredentials, exchangeAuthorizationCode, tokenProvider, type ApiDescriptor } from "../../src/index.js";
import { resolveClaimNames } from "../../src/internal.js";
import { clientFor, ims } from "../support/apis.js";
import { useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();

/** IMS's spec namespace, which the token endpoint mints its claims under unless told otherwise. */
const SPEC_NS = "https://atrope.dev/claims/";
/** Another deployment's namespace. */
const OTHER_NS = "https://claims.other.example/";
const tenant = "8c2f0000-0000-4000-8000-00000000000a";
const clients = { "cli-a": { secret: "secret-for-tenant-a-01", tenant } };
/** IMS's spec with its tenant claim named differently (another API, same token endpoint). */
const imsOrg: ApiDescriptor = { ...ims, name: "ims-org", claims: { namespace: SPEC_NS, tenant: "org_id", permissions: "permissions" } };

const credentialFor = (tokenUrl: string, extra: { claims?: { tenant?: string }; claimsNamespace?: string } = {}) =>
  clientCredentials({ tokenUrl, clientId: "cli-a", clientSecret: clients["cli-a"].secret, tenant, clock: f.clock, ...extra });

describe("one credential, two clients whose claims differ, no claim names given to the credential", () => {
  it.each([
    ["the client whose claims match calls first", ["matching", "other"] as const],
    ["the client whose claims differ calls first", ["other", "matching"] as const],
  ])("%s: each call is checked under its own client's claim names", async (_title, order) => {
    const auth = await f.auth({ clients });
    const api = await f.api({ tenantClaim: `${SPEC_NS}tenant_id` });
    const credential = credentialFor(auth.tokenUrl);
    const byName = {
      matching: clientFor(ims, { baseUrl: api.url, auth: credential }),
      other: clientFor(ims, { baseUrl: api.url, auth: credential, claimsNamespace: OTHER_NS }),
    };
    for (let round = 0; round < 2; round += 1) {
      for (const name of order) {
        const result = await byName[name].GET("/v1/items");
        if (name === "matching") {
          expect(result.data).toEqual({ ok: true, via: "jwt", tenant });
        } else {
          expect(result.error).toMatchObject({ code: "TENANT_MISMATCH", details: { claim: `${OTHER_NS}tenant_id`, expectedTenant: tenant } });
          expect(result.meta.status).toBeUndefined();
        }
      }
    }
    // One token served both clients: the refusal is the other client's call's, not the token's.
    expect(auth.requests).toHaveLength(1);
    expect(api.requests).toHaveLength(2);
    expect(api.requests.every((r) => r.tenant === tenant)).toBe(true);
  });

  it("concurrent calls of both clients on a cold credential share one token request; each gets its own verdict", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api({ tenantClaim: `${SPEC_NS}tenant_id` });
    const credential = credentialFor(auth.tokenUrl);
    const matching = clientFor(ims, { baseUrl: api.url, auth: credential });
    const other = clientFor(imsOrg, { baseUrl: api.url, auth: credential });
    const release = auth.hold();
    const calls = Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? matching : other).GET("/v1/items")));
    await auth.until(1);
    release();
    const results = await calls;
    expect(results.filter((_, i) => i % 2 === 0).every((r) => r.data?.tenant === tenant)).toBe(true);
    for (const r of results.filter((_, i) => i % 2 === 1)) expect(r.error).toMatchObject({ code: "TENANT_MISMATCH", details: { claim: `${SPEC_NS}org_id` } });
    expect(auth.requests).toHaveLength(1);
    expect(api.requests).toHaveLength(20);
  });

  it("a user session (authorization code) and a token provider follow the same rule", async () => {
    const auth = await f.auth({ clients: { app: {} } });
    const api = await f.api({ tenantClaim: `${SPEC_NS}tenant_id` });
    const code = auth.issueCode({ clientId: "app", redirectUri: "https://app.test/cb", tenant });
    const session = await exchangeAuthorizationCode({ tokenUrl: auth.tokenUrl, clientId: "app", code, redirectUri: "https://app.test/cb", state: "s-1", expectedState: "s-1", tenant, clock: f.clock });
    const provided = await f.signer.sign({ [`${SPEC_NS}tenant_id`]: tenant }, 600, f.clock.now());
    for (const credential of [
      session,
      tokenProvider(() => ({ accessToken: provided }), { tenant, clock: f.clock }),
    ]) {
      const other = clientFor(ims, { baseUrl: api.url, auth: credential, claimsNamespace: OTHER_NS });
      const matching = clientFor(ims, { baseUrl: api.url, auth: credential });
      expect((await other.GET("/v1/items")).error).toMatchObject({ code: "TENANT_MISMATCH", details: { claim: `${OTHER_NS}tenant_id` } });
      expect((await matching.GET("/v1/items")).data).toEqual({ ok: true, via: "jwt", tenant });
      expect((await other.GET("/v1/items")).error).toMatchObject({ code: "TENANT_MISMATCH" });
    }
    expect(api.requests).toHaveLength(2);
  });
});

describe("claim names given at construction", () => {
  it("`claims` are the credential's for every client: its token is checked under them, whatever the client declares", async () => {
    const auth = await f.auth({ clients, claimsNamespace: OTHER_NS });
    const api = await f.api({ tenantClaim: `${OTHER_NS}tenant_id` });
    const credential = credentialFor(auth.tokenUrl, { claims: { tenant: `${OTHER_NS}tenant_id` } });
    for (const client of [clientFor(ims, { baseUrl: api.url, auth: credential }), clientFor(imsOrg, { baseUrl: api.url, auth: credential })]) {
      expect((await client.GET("/v1/items")).data).toEqual({ ok: true, via: "jwt", tenant });
    }
    expect(auth.requests).toHaveLength(1);
  });

  it("`claims` naming a claim the token lacks: the token is refused before it is cached, for every client", async () => {
    const auth = await f.auth({ clients });
    const api = await f.api();
    const credential = credentialFor(auth.tokenUrl, { claims: { tenant: `${OTHER_NS}tenant_id` } });
    for (const client of [clientFor(ims, { baseUrl: api.url, auth: credential }), clientFor(ims, { baseUrl: api.url, auth: credential, claimsNamespace: OTHER_NS })]) {
      expect((await client.GET("/v1/items")).error).toMatchObject({ code: "TENANT_MISMATCH", details: { claim: `${OTHER_NS}tenant_id` } });
    }
    expect(api.requests).toHaveLength(0);
    // Nothing was adopted: each call asked for a token of its own.
    expect(auth.requests).toHaveLength(2);
    expect(credential.grantedScopes?.()).toBeUndefined();
  });

  it("`claimsNamespace` puts each client's declared claims under the credential's namespace", async () => {
    const auth = await f.auth({ clients, claimsNamespace: OTHER_NS });
    const api = await f.api({ tenantClaim: `${OTHER_NS}tenant_id` });
    const credential = credentialFor(auth.tokenUrl, { claimsNamespace: OTHER_NS });
    // IMS declares tenant_id: checked as OTHER_NS + tenant_id, whatever namespace the client was built with.
    expect((await clientFor(ims, { baseUrl: api.url, auth: credential }).GET("/v1/items")).data).toEqual({ ok: true, via: "jwt", tenant });
    expect((await clientFor(ims, { baseUrl: api.url, auth: credential, claimsNamespace: "https://claims.third.example/" }).GET("/v1/items")).data).toMatchObject({ tenant });
    // A spec declaring org_id: checked as OTHER_NS + org_id, which the token lacks.
    expect((await clientFor(imsOrg, { baseUrl: api.url, auth: credential }).GET("/v1/items")).error).toMatchObject({
      code: "TENANT_MISMATCH",
      details: { claim: `${OTHER_NS}org_id` },
    });
    expect(api.requests).toHaveLength(2);
    expect(auth.requests).toHaveLength(1);
  });

  it("`claims` and `claimsNamespace` together, or an empty namespace, are refused when the credential is built", () => {
    expect(() => credentialFor("https://auth.test/token", { claims: { tenant: `${SPEC_NS}tenant_id` }, claimsNamespace: OTHER_NS })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS", details: { option: "claimsNamespace" } }),
    );
    expect(() => tokenProvider(() => ({ accessToken: "t-0123456789" }), { claimsNamespace: "" })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining('"claimsNamespace"') }),
    );
  });
});

describe("granted scopes under the caller's claim names", () => {
  it("are read from the permissions claim the given names point at; asked without, from what every caller so far passed", async () => {
    const api = await f.api();
    const names = resolveClaimNames(ims.claims);
    const otherNames = resolveClaimNames(ims.claims, OTHER_NS);
    const token = await f.signer.sign({ [`${SPEC_NS}permissions`]: ["catalog:read"], [`${OTHER_NS}permissions`]: ["catalog:read", "inventory:write"] }, 600, f.clock.now());
    const credential = tokenProvider(() => ({ accessToken: token }), { clock: f.clock });
    await clientFor(ims, { baseUrl: api.url, auth: credential }).GET("/v1/items");
    expect(credential.grantedScopes?.(names)).toEqual(["catalog:read"]);
    expect(credential.grantedScopes?.(otherNames)).toEqual(["catalog:read", "inventory:write"]);
    // Only IMS's default names have called: those are read.
    expect(credential.grantedScopes?.()).toEqual(["catalog:read"]);
    await clientFor(ims, { baseUrl: api.url, auth: credential, claimsNamespace: OTHER_NS }).GET("/v1/items");
    // Two clients with different names: no guess (the standard claims, which this token lacks).
    expect(credential.grantedScopes?.()).toBeUndefined();
    expect(credential.grantedScopes?.(otherNames)).toEqual(["catalog:read", "inventory:write"]);
  });

  it("names given at construction are used whoever asks", async () => {
    const api = await f.api();
    const token = await f.signer.sign({ [`${SPEC_NS}permissions`]: ["catalog:read"], [`${OTHER_NS}permissions`]: ["inventory:write"] }, 600, f.clock.now());
    const credential = tokenProvider(() => ({ accessToken: token }), { clock: f.clock, claims: { permissions: `${OTHER_NS}permissions` } });
    await clientFor(ims, { baseUrl: api.url, auth: credential }).GET("/v1/items");
    expect(credential.grantedScopes?.()).toEqual(["inventory:write"]);
    expect(credential.grantedScopes?.(resolveClaimNames(ims.claims))).toEqual(["inventory:write"]);
  });
});
