import { describe, expect, it } from "vitest";
import { apiKey } from "../../src/auth/api-key.js";
import { bearerToken } from "../../src/auth/bearer-token.js";
import { clientCredentials } from "../../src/auth/client-credentials.js";
import { environmentOf } from "../../src/auth/environment.js";
import { checkTransport, isLoopbackHost } from "../../src/auth/transport.js";
import { none } from "../../src/auth/none.js";
import { fingerprint, redact, registerSecret } from "../../src/internal/redact.js";
import { atlas } from "./support/descriptors.js";

describe("transport", () => {
  it.each([
    ["https://api.example.com/x", undefined],
    ["http://127.0.0.1:8080/x", undefined],
    ["http://localhost/x", undefined],
    ["http://[::1]:3000/x", undefined],
    ["http://api.example.com/x", "INSECURE_TRANSPORT"],
    ["http://127.0.0.1.evil.example/x", "INSECURE_TRANSPORT"],
  ])("%s → %s", (url, code) => {
    expect(checkTransport(url, apiKey("sk_live_0000000000000000"))?.code).toBe(code);
  });
  it("none() may go anywhere; token URLs must be https or loopback", () => {
    expect(checkTransport("http://api.example.com", none())).toBeUndefined();
    expect(isLoopbackHost("127.8.9.10")).toBe(true);
    expect(() => clientCredentials({ tokenUrl: "http://auth.example.com/token", clientId: "c", clientSecret: "s-000000000" })).toThrow(
      expect.objectContaining({ code: "INSECURE_TRANSPORT" }),
    );
  });
});

describe("environmentOf", () => {
  it.each([
    ["https://api.atlas-softpos.com", "production"],
    ["https://api.atlas-softpos.com/v1/device/health", "production"],
    ["https://sandbox.atlas-softpos.com/", "sandbox"],
    ["http://127.0.0.1:4010", "sandbox"],
    ["https://somewhere.example", undefined],
  ])("%s → %s", (url, environment) => {
    expect(environmentOf(url, atlas.servers)).toBe(environment);
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
  it("removes known secrets wherever they appear", () => {
    const secret = "cs_live_totally-unique-secret-77";
    registerSecret(secret);
    expect(redact(`oops ${secret} leaked`)).toBe("oops [REDACTED] leaked");
    expect(redact("other thing", ["other thing"])).toBe("[REDACTED]");
  });
  it("credentials show only their fingerprint", () => {
    const key = apiKey("sk_live_9f8e7d6c5b4a3210abcdef");
    expect(String(key)).toBe("Credential<apiKey> sk_live_…");
    expect(JSON.stringify({ key })).toBe('{"key":{"kind":"apiKey","fingerprint":"sk_live_…"}}');
    expect(JSON.stringify(bearerToken("eudr_live_0011223344556677"))).not.toContain("0011");
  });
});
