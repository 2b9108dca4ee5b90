import { describe, expect, it } from "vitest";
/** Unit tests of the public, pure token-response functions (`parseTokenResponse`, `cachedTokenFrom`). */
import { PorticoError } from "../../src/index.js";
import { cachedTokenFrom, parseTokenResponse } from "../../src/internal.js";

const jwt = (payload: Record<string, unknown>): string =>
  `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.c2ln`;

describe("parseTokenResponse", () => {
  it.each([
    [{ token_type: "Bearer" }, "access_token", "is missing"],
    [{ access_token: 42 }, "access_token", "is not a valid string"],
    [{ access_token: "" }, "access_token", ""],
    [{ access_token: "abcdefgh", expires_in: "soon" }, "expires_in", ""],
    [{ access_token: "abcdefgh", expires_in: 0 }, "expires_in", "positive"],
    [{ access_token: "abcdefgh", token_type: "mac" }, "token_type", "Bearer"],
  ])("%j → TOKEN_RESPONSE_INVALID naming %s", (body, field, words) => {
    const error = (() => {
      try {
        parseTokenResponse(body, "https://auth.test/token");
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })() as PorticoError;
    expect(error).toBeInstanceOf(PorticoError);
    expect(error.code).toBe("TOKEN_RESPONSE_INVALID");
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(`"${field}"`);
    expect(error.message).toContain(words);
    expect(error.message).not.toContain("abcdefgh");
  });
  it("accepts numeric strings and lower-case bearer", () => {
    expect(parseTokenResponse({ access_token: "abc", token_type: "bearer", expires_in: "3600" }, "x")).toMatchObject({ expiresIn: 3600 });
  });
});

describe("cachedTokenFrom: expiry", () => {
  const obtainedAt = Date.parse("2026-01-01T00:00:00Z");
  it("expires_in measured at receipt wins", () => {
    expect(cachedTokenFrom({ accessToken: jwt({ exp: 1 }), expiresIn: 60 }, { obtainedAt }, "x").expiresAt).toBe(obtainedAt + 60_000);
  });
  it("expires_in and a JWT exp: the earlier wins (whole-second expires_in overshoots exp by up to 1 s)", () => {
    const exp = (obtainedAt + 4_300) / 1000; // the token ends 4.3 s after receipt; the server said 5 s
    expect(cachedTokenFrom({ accessToken: jwt({ exp }), expiresIn: 5 }, { obtainedAt }, "x").expiresAt).toBe(obtainedAt + 4_300);
    // exp later than expires_in: expires_in stays.
    expect(cachedTokenFrom({ accessToken: jwt({ exp: obtainedAt / 1000 + 9 }), expiresIn: 5 }, { obtainedAt }, "x").expiresAt).toBe(obtainedAt + 5_000);
    // A Date header within its own 1 s resolution is not skew: exp is taken as is.
    expect(cachedTokenFrom({ accessToken: jwt({ exp }), expiresIn: 5 }, { obtainedAt, serverDate: obtainedAt - 900 }, "x").expiresAt).toBe(obtainedAt + 4_300);
    // A server clock 60 s behind (Date header): exp is moved onto the local clock before comparing.
    const behind = { obtainedAt, serverDate: obtainedAt - 60_000 };
    expect(cachedTokenFrom({ accessToken: jwt({ exp: exp - 60 }), expiresIn: 5 }, behind, "x").expiresAt).toBe(obtainedAt + 4_300);
    // The same with expires_at as the stated expiry.
    expect(cachedTokenFrom({ accessToken: jwt({ exp }), expiresAt: obtainedAt / 1000 + 5 }, { obtainedAt }, "x").expiresAt).toBe(obtainedAt + 4_300);
  });
  it("expires_at (ISO or epoch seconds) corrected by the Date header skew", () => {
    const serverDate = obtainedAt - 120_000; // server clock two minutes behind
    expect(cachedTokenFrom({ accessToken: "a", expiresAt: "2026-01-01T00:10:00Z" }, { obtainedAt, serverDate }, "x").expiresAt).toBe(obtainedAt + 720_000);
    expect(cachedTokenFrom({ accessToken: "a", expiresAt: obtainedAt / 1000 + 60 }, { obtainedAt }, "x").expiresAt).toBe(obtainedAt + 60_000);
  });
  it("JWT exp-iat gives a lifetime immune to clock skew; else the default lifetime; capped by the maximum", () => {
    expect(cachedTokenFrom({ accessToken: jwt({ iat: 1000, exp: 1300 }) }, { obtainedAt }, "x").expiresAt).toBe(obtainedAt + 300_000);
    expect(cachedTokenFrom({ accessToken: "opaque" }, { obtainedAt, defaultLifetimeSeconds: 3600 }, "x").expiresAt).toBe(obtainedAt + 3_600_000);
    expect(cachedTokenFrom({ accessToken: "opaque", expiresIn: 999_999 }, { obtainedAt, maxLifetimeSeconds: 86_400 }, "x").expiresAt).toBe(obtainedAt + 86_400_000);
  });
  it("a token already expired on receipt is invalid", () => {
    expect(() => cachedTokenFrom({ accessToken: "a", expiresAt: "2020-01-01T00:00:00Z" }, { obtainedAt }, "x")).toThrow(expect.objectContaining({ code: "TOKEN_RESPONSE_INVALID" }));
  });
  it("a JWT whose exp is past, by a server Date that agrees with the local clock, is invalid whatever expires_in says", () => {
    const expired = jwt({ iat: obtainedAt / 1000 - 120, exp: obtainedAt / 1000 - 60 });
    expect(() => cachedTokenFrom({ accessToken: expired, expiresIn: 3600 }, { obtainedAt, serverDate: obtainedAt }, "x")).toThrow(
      expect.objectContaining({ code: "TOKEN_RESPONSE_INVALID", details: { field: "exp" } }),
    );
  });
  it("an expires_in of 400 digits never becomes an endless lifetime", () => {
    const outcome = (() => {
      try {
        return cachedTokenFrom(parseTokenResponse({ access_token: "abcdefgh", expires_in: "9".repeat(400) }, "x"), { obtainedAt }, "x").expiresAt;
      } catch (error) {
        return (error as PorticoError).code;
      }
    })();
    // Either refused, or a finite expiry (capped).
    expect(outcome === "TOKEN_RESPONSE_INVALID" || (typeof outcome === "number" && Number.isFinite(outcome))).toBe(true);
  });
});

describe("refresh token lifetime", () => {
  const obtainedAt = Date.parse("2026-01-01T00:00:00Z");
  const cached = (body: Record<string, unknown>) => cachedTokenFrom(parseTokenResponse(body, "x"), { obtainedAt }, "x");
  it("refresh_expires_in (Keycloak) or refresh_token_expires_in (Azure AD B2C, GitHub) becomes refreshExpiresAt", () => {
    expect(cached({ access_token: "a", expires_in: 300, refresh_token: "r", refresh_expires_in: 1800 }).refreshExpiresAt).toBe(obtainedAt + 1_800_000);
    expect(cached({ access_token: "a", expires_in: 300, refresh_token: "r", refresh_token_expires_in: "7200" }).refreshExpiresAt).toBe(obtainedAt + 7_200_000);
  });
  it("is left unknown when 0 (Keycloak: no expiry), unreadable (never failing the response), or there is no refresh token", () => {
    expect(cached({ access_token: "a", refresh_token: "r", refresh_expires_in: 0 })).not.toHaveProperty("refreshExpiresAt");
    expect(cached({ access_token: "a", refresh_expires_in: 1800 })).not.toHaveProperty("refreshExpiresAt");
    expect(cached({ access_token: "a", refresh_token: "r" })).not.toHaveProperty("refreshExpiresAt");
    expect(cached({ access_token: "a", refresh_token: "r", refresh_expires_in: "later" })).not.toHaveProperty("refreshExpiresAt");
    expect(cached({ access_token: "a", refresh_token: "r", refresh_token_expires_in: -5 })).not.toHaveProperty("refreshExpiresAt");
  });
});
