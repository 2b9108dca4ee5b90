import { describe, expect, test } from "vitest";
import { excerpt, redact } from "./redact.js";

describe("redact", () => {
  test.each<[string, string]>([
    ["Authorization: Bearer abc.def-ghi", "Authorization: [REDACTED]"],
    ["token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here", "token [REDACTED] here"],
    ["key sk_live_9f8e7d6c5b4a and cs_test_abc", "key [REDACTED] and [REDACTED]"],
    ["eudr_live_0123456789abcdef", "[REDACTED]"],
    ["X-Api-Key: erip_abc12345xyz", "X-Api-Key: [REDACTED]"],
    ["grant_type=client_credentials&client_secret=hunter2&x=1", "grant_type=client_credentials&client_secret=[REDACTED]&x=1"],
    ['{"access_token":"abc","ok":true}', '{"access_token":"[REDACTED]","ok":true}'],
    ["nothing secret here", "nothing secret here"],
  ])("%s", (input, want) => {
    expect(redact(input)).toBe(want);
  });

  test("excerpt is bounded and redacts a secret straddling the bound", () => {
    const text = `${"a ".repeat(250)}sk_live_${"z".repeat(40)}`;
    const out = excerpt(text, 505);
    expect(out.length).toBeLessThanOrEqual(506);
    expect(out).not.toContain("sk_live_");
  });
});
