/**
 * Transport and environment rails as a user meets them (a client refused at construction, a
 * redirect that would carry the credential elsewhere), and the public pure helpers behind them:
 * `environmentOf`, `redact`, `fingerprint`.
 */
import { describe, expect, it } from "vitest";
import { apiKey, bearerToken, clientCredentials, none, type Fetcher } from "../../src/index.js";
import { environmentOf, fingerprint, redact } from "../../src/internal.js";
import { atlas, clientFor, erip } from "../support/apis.js";
import { json } from "../support/loopback.js";
import { useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();
const key = "erip_0123456789abcdef0123456789abcdef";

describe("transport", () => {
  it.each([
    ["https://api.example.com/x", undefined],
    ["http://127.0.0.1:8080/x", undefined],
    ["http://localhost/x", undefined],
    ["http://[::1]:3000/x", undefined],
    ["http://127.8.9.10/x", undefined],
    ["http://api.example.com/x", "INSECURE_TRANSPORT"],
    ["http://127.0.0.1.evil.example/x", "INSECURE_TRANSPORT"],
    ["http://localhost.evil.example/x", "INSECURE_TRANSPORT"],
  ])("a client with a credential at %s → %s", (baseUrl, code) => {
    const build = () => clientFor(erip, { baseUrl, auth: apiKey(key) });
    if (code === undefined) expect(build).not.toThrow();
    else expect(build).toThrow(expect.objectContaining({ code, message: expect.not.stringContaining(key) }));
  });

  it("none() may go anywhere; token URLs must be https or loopback", () => {
    expect(() => clientFor(erip, { baseUrl: "http://api.example.com", auth: none() })).not.toThrow();
    expect(() => clientCredentials({ tokenUrl: "http://auth.example.com/token", clientId: "c", clientSecret: "s-000000000" })).toThrow(
      expect.objectContaining({ code: "INSECURE_TRANSPORT" }),
    );
  });

  it("a redirect to another origin is not followed with the credential; the other origin sees nothing", async () => {
    const elsewhere = await f.api({ devMode: true });
    const api = await f.server((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/v1/companies/search` });
      res.end();
    });
    const { data, error } = await clientFor(erip, { baseUrl: api.url, auth: apiKey(key) }).GET("/v1/companies/search");
    expect(data).toBeUndefined();
    expect(error?.code).toBe("INSECURE_TRANSPORT");
    expect(elsewhere.requests).toHaveLength(0);
  });

  it("a fetcher that ignores redirect: \"manual\" and follows one to another origin: the answer is not used, the caller is told", async () => {
    const elsewhere = await f.api({ devMode: true, apiKeys: new Set([key]) });
    const api = await f.server((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/v1/companies/search` });
      res.end();
    });
    const following: Fetcher = (url, init) => fetch(url, { ...(init as RequestInit), redirect: "follow" });
    const { data, error } = await clientFor(erip, { baseUrl: api.url, auth: apiKey(key), fetcher: following }).GET("/v1/companies/search");
    expect(data).toBeUndefined();
    expect(error?.code).toBe("INSECURE_TRANSPORT");
    expect(error?.message).not.toContain(key);
  });

  it("a same-origin redirect is followed with the credential", async () => {
    const api = await f.server((req, res) => {
      if (req.url === "/v1/companies/search") {
        res.writeHead(307, { location: "/v2/companies/search" });
        res.end();
        return;
      }
      json(res, 200, { ok: true, via: req.headers["x-api-key"] === key ? "apiKey" : "none" });
    });
    expect((await clientFor(erip, { baseUrl: api.url, auth: apiKey(key) }).GET("/v1/companies/search")).data).toEqual({ ok: true, via: "apiKey" });
  });
});

describe("environmentOf", () => {
  it.each([
    ["https://api.atlas-softpos.com", "production"],
    ["https://api.atlas-softpos.com/v1/device/health", "production"],
    ["https://api.atlas-softpos.com./v1/device/health", "production"],
    ["https://API.ATLAS-SOFTPOS.COM", "production"],
    ["https://api.atlas-softpos.com.:443/", "production"],
    ["https://sandbox.api.atlas-softpos.com/", "sandbox"],
    ["http://127.0.0.1:4010", "sandbox"],
    ["http://localhost.:4010", "sandbox"],
    ["https://somewhere.example", undefined],
    ["https://api.atlas-softpos.com.evil.example", undefined],
  ])("%s → %s", (url, environment) => {
    expect(environmentOf(url, atlas.servers)).toBe(environment);
  });

  it("a client built for a production host written with a trailing dot refuses a sandbox key", () => {
    expect(() => clientFor(atlas, { baseUrl: "https://api.atlas-softpos.com.", auth: apiKey("sk_test_aaaaaaaaaaaaaaaaaaaa") })).toThrow(
      expect.objectContaining({ code: "ENVIRONMENT_MISMATCH" }),
    );
  });
});

describe("redaction", () => {
  it("fingerprint keeps the first 8 characters, fewer for short secrets", () => {
    expect(fingerprint("erip_abc123456789xyz")).toBe("erip_abc…");
    expect(fingerprint("short-secret")).toBe("sho…");
  });

  it.each([
    ["Authorization: Bearer abc.def.ghi", "Authorization: [REDACTED]"],
    ['{"authorization":"Bearer zzzzzz","x":1}', '{"authorization":"[REDACTED]","x":1}'],
    ["X-Api-Key: sk_live_123456", "X-Api-Key: [REDACTED]"],
    ["grant_type=client_credentials&client_secret=hunter22&scope=a", "grant_type=client_credentials&client_secret=[REDACTED]&scope=a"],
    ["https://x.test/cb?access_token=abc123&state=1", "https://x.test/cb?access_token=[REDACTED]&state=1"],
    ['{"refresh_token": "rt_abc"}', '{"refresh_token": "[REDACTED]"}'],
    ["wss://x.test/events?apiKey=sk_live_1", "wss://x.test/events?apiKey=[REDACTED]"],
    ["token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_x here", "token [REDACTED] here"],
    ["sent Bearer abcdef", "sent Bearer [REDACTED]"],
  ])("%s", (input, want) => {
    expect(redact(input)).toBe(want);
  });

  it("removes the secrets given, wherever they appear", () => {
    expect(redact("oops cs_live_totally-unique-secret-77 leaked", ["cs_live_totally-unique-secret-77"])).toBe("oops [REDACTED] leaked");
    expect(redact("other thing", ["other thing"])).toBe("[REDACTED]");
  });

  it("credentials show only their fingerprint", () => {
    const credential = apiKey("sk_live_9f8e7d6c5b4a3210abcdef");
    expect(String(credential)).toBe("Credential<apiKey> sk_live_…");
    expect(JSON.stringify({ credential })).toBe('{"credential":{"kind":"apiKey","fingerprint":"sk_live_…"}}');
    expect(JSON.stringify(bearerToken("eudr_live_0011223344556677"))).not.toContain("0011");
  });
});
