/**
 * Step: EUDR errors by code. The same typed result shape for every failure; `switch (error.code)`
 * over the codes the spec declares (the seed's table) tells the caller what to do.
 */
import { createEudrApiClient } from "@nentropy/api-client";
import { bearerToken, none } from "@portico/core";
import { check } from "../narrator.mjs";

export const title = "EUDR — every authentication error by its code, switch (error.code)";

/** What an integration does about each code: the part a user copies. */
export function adviceFor(error) {
  switch (error.code) {
    case "AUTHENTICATION_REQUIRED":
      return "send the Authorization header";
    case "INVALID_TOKEN_FORMAT":
      return "the token is malformed: copy the whole eudr_live_… value";
    case "INVALID_TOKEN":
      return "unknown token: generate one in the platform UI";
    case "TOKEN_REVOKED":
      return "revoked: ask an admin for a new token";
    case "TOKEN_EXPIRED":
      return "expired: rotate the token";
    case "INTEGRATION_INACTIVE":
      return "the integration is switched off in the platform";
    case "INSUFFICIENT_SCOPES":
      return `token lacks ${error.body?.details?.requiredScopes?.join(", ") ?? "a scope"}`;
    default:
      return `unexpected (${error.code})`;
  }
}

export async function eudrStep({ sandbox, say }) {
  const control = sandbox.apis.eudr.control;
  const baseUrl = control.baseUrl;
  const tokens = control.seeded.tokens;
  const client = (auth, extra = {}) => createEudrApiClient({ baseUrl, auth, retry: false, ...extra });
  const rows = [];
  const expect = async (label, expected, call) => {
    const result = await call();
    const code = result.error?.code ?? "OK";
    check(code === expected, `${label}: expected ${expected}, got ${code}`);
    const status = result.error?.status ?? result.meta.status;
    say(`${label.padEnd(44)} → ${String(status).padEnd(3)} ${code.padEnd(24)} ${result.error ? adviceFor(result.error) : ""}`.trimEnd());
    rows.push(code);
    return result;
  };

  // A fresh token, minted as the platform UI would (shown once, stored as a SHA-256 hash).
  const minted = control.mintToken({ integrationId: control.seeded.integrations.acme.id, name: "demo" });
  const fresh = client(bearerToken(minted.token));
  await expect("valid token, GET /suppliers", "OK", () => fresh.GET("/suppliers"));
  await expect("no Authorization header", "AUTHENTICATION_REQUIRED", () => client(none()).GET("/suppliers"));

  // A malformed token is refused locally, before any request, by the spec's format rule...
  let localCode = "none";
  try {
    client(bearerToken("eudr_test_123"));
  } catch (error) {
    localCode = error.code;
  }
  check(localCode === "INVALID_TOKEN_FORMAT", `a malformed token was not refused locally (got ${localCode})`);
  say(`${"malformed token, refused by the client".padEnd(44)} → --- ${localCode.padEnd(24)} (thrown at construction, no request sent)`);
  // ...and the server says the same when one is sent anyway (the seed's fetcher pattern).
  const raw = createEudrApiClient({
    baseUrl,
    retry: false,
    fetcher: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, Authorization: "Bearer eudr_test_123" } }),
  });
  await expect("malformed token, sent anyway", "INVALID_TOKEN_FORMAT", () => raw.GET("/suppliers"));
  await expect("well-formed but unknown token", "INVALID_TOKEN", () => client(bearerToken(`eudr_live_${"0".repeat(48)}`)).GET("/suppliers"));

  control.revokeToken(minted.id);
  await expect("same client, token revoked in the UI", "TOKEN_REVOKED", () => fresh.GET("/suppliers"));
  await expect("token past its expiration date", "TOKEN_EXPIRED", () => client(bearerToken(tokens.acmeExpired.token)).GET("/suppliers"));
  await expect("integration switched off", "INTEGRATION_INACTIVE", () => client(bearerToken(tokens.dormant.token)).GET("/suppliers"));
  const scoped = await expect("read-only token, POST /suppliers", "INSUFFICIENT_SCOPES", () =>
    client(bearerToken(tokens.acmeReadOnly.token)).POST("/suppliers", { body: { name: "Demo Cooperative", country: "GH" } }),
  );
  check(scoped.error.status === 403, `INSUFFICIENT_SCOPES came with status ${scoped.error.status}, expected 403`);

  return { ok: true, summary: `${rows.length} outcomes + 1 local refusal, each by code`, facts: { codes: rows } };
}
