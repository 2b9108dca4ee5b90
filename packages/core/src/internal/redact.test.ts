import { describe, expect, test } from "vitest";
import type { ApiDescriptor } from "../spec/descriptor.js";
import { excerpt, redact, secretShapesOf } from "./redact.js";

/** A descriptor declaring secret shapes the way codegen emits `x-portico-credential`. */
const declaring: ApiDescriptor = {
  name: "shapes",
  servers: [],
  security: [],
  operations: {},
  securitySchemes: {
    key: { type: "apiKey", in: "header", name: "X-Api-Key", format: { pattern: "^sk_(live|test)_[A-Za-z0-9]{16,}$", environments: { sk_live_: "production", sk_test_: "sandbox" } } },
    bearer: { type: "http", scheme: "bearer", format: { pattern: "^erip_[A-Za-z0-9]{32,}$" } },
    // Arrotech's: an API key, or any three dot-separated parts (a JWT).
    oauth: { type: "oauth2", flows: {}, format: { pattern: "^(ak_(live|test)_[A-Za-z0-9]{32}|[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)$" } },
  },
};

describe("redact: the generic fallback (no spec registered)", () => {
  test.each<[string, string]>([
    ["Authorization: Bearer abc.def-ghi", "Authorization: [REDACTED]"],
    ["token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here", "token [REDACTED] here"],
    ["X-Api-Key: erip_abc12345xyz", "X-Api-Key: [REDACTED]"],
    ['{"x-auth-token":"0123456789abcdef0123"}', '{"x-auth-token":"[REDACTED]"}'],
    ["grant_type=client_credentials&client_secret=hunter2&x=1", "grant_type=client_credentials&client_secret=[REDACTED]&x=1"],
    ['{"access_token":"abc","ok":true}', '{"access_token":"[REDACTED]","ok":true}'],
    ["nothing secret here", "nothing secret here"],
  ])("%s", (input, want) => {
    expect(redact(input)).toBe(want);
  });

  test("core knows no API's key prefixes by itself", () => {
    expect(redact("key sk_live_9f8e7d6c5b4a3f2e1d0c")).toBe("key sk_live_9f8e7d6c5b4a3f2e1d0c");
  });
});

describe("redact: secret shapes declared by a spec", () => {
  const shapes = secretShapesOf(declaring.securitySchemes);

  test("declared prefixes and patterns are recognised (a client passes its spec's shapes)", () => {
    const erip = `erip_${"a1B2".repeat(8)}`;
    const ak = `ak_live_${"Zz09".repeat(8)}`;
    expect(redact("key sk_live_9f8e7d6c5b4a and sk_test_abcd1234, prefix sk_live_ alone", [], shapes)).toBe("key [REDACTED] and [REDACTED], prefix sk_live_ alone");
    expect(redact(`the server echoed ${erip}.`, [], shapes)).toBe("the server echoed [REDACTED].");
    expect(redact(`got ${ak} back`, [], shapes)).toBe("got [REDACTED] back");
  });

  test("shapes are the client's own: without them, another API's prefixes are plain text", () => {
    expect(redact("key sk_live_9f8e7d6c5b4a")).toBe("key sk_live_9f8e7d6c5b4a");
  });

  test("a broad declared pattern does not eat host names, versions or plain words", () => {
    const text = "redirected to https://api.arrotech.example/v1.2.3 for sign-in.example.com";
    expect(redact(text, [], shapes)).toBe(text);
  });

  test("a known secret is removed in every form a server may echo it: raw, percent-, form- and JSON-encoded, base64", () => {
    const secret = "s3cr3t/with+odd chars&=\"quotes\"";
    const forms = [secret, encodeURIComponent(secret), new URLSearchParams([["", secret]]).toString().slice(1), JSON.stringify(secret).slice(1, -1), btoa(secret).replace(/=+$/, "")];
    for (const form of forms) expect(redact(`error_description=${form}; echoed ${form}`, [secret])).not.toContain(form);
  });
});

describe("excerpt", () => {
  test("is bounded and redacts a secret straddling the bound", () => {
    const text = `${"a ".repeat(250)}Bearer ${"z".repeat(40)}`;
    const out = excerpt(text, 505);
    expect(out.length).toBeLessThanOrEqual(506);
    expect(out).not.toContain("zzzz");
  });
});
