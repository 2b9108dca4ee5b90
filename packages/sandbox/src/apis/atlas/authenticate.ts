import type { MiddlewareHandler } from "hono";
import { atlasError, type AtlasErrorCode } from "./problem.js";
import { fingerprint } from "../../framework/fingerprint.js";
import type { OperationIndex } from "../../framework/spec.js";
import type { ApiKeyFailure, CredentialStore } from "./credential-store.js";
import type { AtlasMerchantSeed } from "./seed.js";
import type { AtlasState } from "./state.js";
import type { TokenSigner } from "./token-signer.js";

/** Who is calling: resolved from exactly one credential. */
export interface AtlasPrincipal {
  readonly scheme: "apiKey" | "bearer";
  readonly fingerprint: string;
  readonly merchantId: string;
  readonly terminalId: string;
  readonly scopes: readonly string[];
}

/** Credential material found on a request or upgrade. */
export interface PresentedCredential {
  readonly apiKey?: string | undefined;
  readonly authorization?: string | undefined;
}

export type AuthOutcome =
  | { readonly ok: true; readonly principal: AtlasPrincipal }
  | {
      readonly ok: false;
      readonly status: 400 | 401;
      readonly code: Extract<AtlasErrorCode, "CONFLICTING_CREDENTIALS" | "AUTHENTICATION_REQUIRED" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | ApiKeyFailure>;
      readonly message: string;
      readonly scheme: "apiKey" | "bearer" | "none";
      readonly fingerprint: string;
    };

/** Resolves the caller from an `X-Api-Key` or a Bearer token — one or the other, never both. */
export async function authenticate(
  presented: PresentedCredential,
  deps: { readonly store: CredentialStore; readonly signer: TokenSigner; readonly merchants: readonly AtlasMerchantSeed[] },
): Promise<AuthOutcome> {
  const { apiKey, authorization } = presented;
  if (apiKey !== undefined && authorization !== undefined) {
    return {
      ok: false,
      status: 400,
      code: "CONFLICTING_CREDENTIALS",
      message: "Send either X-Api-Key or Authorization: Bearer, never both on the same request.",
      scheme: "none",
      fingerprint: "conflict",
    };
  }
  if (apiKey !== undefined) {
    const fp = fingerprint(apiKey);
    const found = deps.store.lookupKey(apiKey);
    if ("failure" in found) {
      const message = {
        ENVIRONMENT_MISMATCH: "Live API keys (sk_live_) do not work against the sandbox; use an sk_test_ key.",
        INVALID_API_KEY: "The API key is not valid.",
        API_KEY_ROTATED: "This API key was rotated more than 24 hours ago; use its replacement.",
      }[found.failure];
      return { ok: false, status: 401, code: found.failure, message, scheme: "apiKey", fingerprint: fp };
    }
    const { record } = found;
    const merchant = deps.merchants.find((m) => m.id === record.merchantId);
    return {
      ok: true,
      principal: {
        scheme: "apiKey",
        fingerprint: record.fingerprint,
        merchantId: record.merchantId,
        terminalId: record.terminalId ?? merchant?.terminals[0] ?? "TID-00000000",
        scopes: record.scopes,
      },
    };
  }
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const token = match?.[1];
    if (!token) {
      return { ok: false, status: 401, code: "INVALID_TOKEN", message: "Authorization must be \"Bearer <access token>\".", scheme: "bearer", fingerprint: "malformed" };
    }
    const fp = fingerprint(token);
    if (/^sk_(live|test)_/.test(token)) {
      return { ok: false, status: 401, code: "INVALID_TOKEN", message: "API keys go in the X-Api-Key header, not Authorization: Bearer.", scheme: "bearer", fingerprint: fp };
    }
    const verified = await deps.signer.verify(token);
    if (!verified.ok) {
      const message = verified.code === "TOKEN_EXPIRED" ? "The access token has expired; request a new one." : "The access token is not valid.";
      return { ok: false, status: 401, code: verified.code, message, scheme: "bearer", fingerprint: fp };
    }
    const { claims } = verified;
    return { ok: true, principal: { scheme: "bearer", fingerprint: fp, merchantId: claims.merchantId, terminalId: claims.terminalId, scopes: claims.scopes } };
  }
  return {
    ok: false,
    status: 401,
    code: "AUTHENTICATION_REQUIRED",
    message: "Send an X-Api-Key header or an Authorization: Bearer token.",
    scheme: "none",
    fingerprint: "none",
  };
}

/**
 * Authenticates every request of the Commerce API, enforces the scopes the spec requires for
 * the operation and the scheme used, and writes one audit entry per request (fingerprint only).
 */
export function authMiddleware(deps: {
  readonly store: CredentialStore;
  readonly signer: TokenSigner;
  readonly merchants: readonly AtlasMerchantSeed[];
  readonly state: AtlasState;
  readonly index: OperationIndex;
}): MiddlewareHandler {
  return async (c, next) => {
    deps.state.counters.requests += 1;
    const outcome = await authenticate({ apiKey: c.req.header("x-api-key"), authorization: c.req.header("authorization") }, deps);
    const requestId = c.get("requestId" as never) as string | undefined;
    if (!outcome.ok) {
      deps.state.audit(c, { status: outcome.status, scheme: outcome.scheme, fingerprint: outcome.fingerprint });
      if (outcome.status === 401) c.header("www-authenticate", 'Bearer realm="atlas", error="invalid_token"');
      return c.json(atlasError(outcome.code, outcome.message, { requestId }), outcome.status);
    }
    const { principal } = outcome;
    c.set("principal" as never, principal as never);
    const matched = deps.index.match(c.req.method, c.req.path);
    if (matched) {
      const schemeName = principal.scheme === "apiKey" ? "apiKeyAuth" : "oauth2";
      const requirement = matched.operation.security.find((r) => schemeName in r);
      const required = requirement?.[schemeName] ?? [];
      const missing = required.filter((s) => !principal.scopes.includes(s));
      if (!requirement || missing.length) {
        deps.state.audit(c, { status: 403, scheme: principal.scheme, fingerprint: principal.fingerprint, terminalId: principal.terminalId });
        return c.json(
          atlasError("INSUFFICIENT_SCOPES", `This operation requires the scope(s) ${required.join(", ")}.`, { requestId, details: { required, missing } }),
          403,
        );
      }
    }
    await next();
    deps.state.audit(c, { status: c.res.status, scheme: principal.scheme, fingerprint: principal.fingerprint, terminalId: principal.terminalId });
  };
}

/** The authenticated caller of a request (set by `authMiddleware`). */
export function principalOf(c: { get(key: never): unknown }): AtlasPrincipal {
  return c.get("principal" as never) as AtlasPrincipal;
}
