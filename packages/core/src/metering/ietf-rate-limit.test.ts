import { describe, expect, test } from "vitest";
import { parseCredits } from "./credits.js";
import { parseRateLimit } from "./ietf-rate-limit.js";

const NOW = Date.UTC(2025, 0, 1);

describe("parseRateLimit", () => {
  test.each<[string, Record<string, string>, unknown]>([
    ["IETF draft-08+ fields", { ratelimit: '"burst";r=5;t=2', "ratelimit-policy": '"day";q=1000;w=86400, "burst";q=10;w=1' }, { policy: "burst", remaining: 5, resetSeconds: 2, limit: 10, windowSeconds: 1 }],
    ["IETF draft-07 dictionary", { ratelimit: "limit=100, remaining=40, reset=12", "ratelimit-policy": "100;w=60" }, { limit: 100, remaining: 40, resetSeconds: 12, windowSeconds: 60 }],
    ["RateLimit-* triplet", { "ratelimit-limit": "60", "ratelimit-remaining": "0", "ratelimit-reset": "30" }, { limit: 60, remaining: 0, resetSeconds: 30 }],
    ["X-RateLimit-* with an epoch reset (Auth0)", { "x-ratelimit-limit": "10", "x-ratelimit-remaining": "3", "x-ratelimit-reset": String(NOW / 1000 + 45) }, { limit: 10, remaining: 3, resetSeconds: 45 }],
    ["structured fields win over the triplets", { ratelimit: '"p";r=1;t=1', "x-ratelimit-remaining": "99" }, { policy: "p", remaining: 1, resetSeconds: 1 }],
    ["garbage structured field", { ratelimit: "((((", "ratelimit-policy": ";;;" }, undefined],
    ["non-numeric triplets", { "x-ratelimit-limit": "lots", "x-ratelimit-remaining": "" }, undefined],
    ["no headers", {}, undefined],
    ["oversized field", { ratelimit: `"p";r=${"9".repeat(5000)}` }, undefined],
    ["X-RateLimit-Reset in epoch milliseconds", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW + 45_000) }, { remaining: 0, resetSeconds: 45 }],
    ["a reset of exactly a day is believed", { ratelimit: '"day";r=0;t=86400' }, { policy: "day", remaining: 0, resetSeconds: 86_400 }],
    ["a structured reset more than a day away is ignored", { ratelimit: '"p";r=0;t=86401' }, { policy: "p", remaining: 0 }],
    ["a triplet reset years away is ignored, and the next source's is read", { "ratelimit-reset": "999999999", "x-ratelimit-reset": "30" }, { resetSeconds: 30 }],
  ])("%s", (_name, headers, want) => {
    expect(parseRateLimit(new Headers(headers), NOW)).toEqual(want);
  });
});

describe("parseCredits", () => {
  test.each<[Record<string, string>, unknown]>([
    [{ "x-credits-remaining": "950", "x-credits-cost": "50" }, { remaining: 950, cost: 50 }],
    [{ "X-Credits-Remaining": " 12 " }, { remaining: 12 }],
    [{ "x-credits-cost": "1.5" }, { cost: 1.5 }],
    [{ "x-credits-remaining": "0x10", "x-credits-cost": "Infinity" }, undefined],
    [{ "x-credits-remaining": "1e3" }, undefined],
    [{}, undefined],
  ])("%j", (headers, want) => {
    expect(parseCredits(new Headers(headers))).toEqual(want);
  });
});
