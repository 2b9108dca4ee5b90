import { Hono, type Context } from "hono";
import { fingerprint } from "../../framework/fingerprint.js";
import type { CredentialStore } from "./credential-store.js";
import { ATLAS_SCOPES, type AtlasMerchantSeed } from "./seed.js";
import type { TokenSigner } from "./token-signer.js";
import type { AtlasState } from "./state.js";

const MAX_LIFETIME = 86_400;
const TERMINAL_PATTERN = /^TID-[0-9]{8}$/;
const FIELDS = new Set(["grant_type", "client_id", "client_secret", "scope", "terminal_id", "expires_in"]);

type OAuthError = "invalid_request" | "invalid_client" | "invalid_scope" | "unsupported_grant_type" | "unauthorized_client";

/**
 * The Atlas auth server (`POST /v1/token` on the `auth` origin): JSON only, client credentials
 * only, `cli_`/`cs_test_` credentials, scopes within the client's, `terminal_id` of one of the
 * merchant's terminals, `expires_in` default 3600 (or `tokenLifetimeSeconds`), at most 86400.
 */
export function createTokenApp(deps: {
  readonly store: CredentialStore;
  readonly signer: TokenSigner;
  readonly merchants: readonly AtlasMerchantSeed[];
  readonly state: AtlasState;
  readonly defaultLifetimeSeconds: number;
}): Hono {
  const app = new Hono();
  const { state } = deps;

  const fail = (c: Context, status: 400 | 401, error: OAuthError, code: string, message: string, audit?: string) => {
    state.audit(c, { status, scheme: "client_credentials", fingerprint: audit ?? "none" });
    c.header("cache-control", "no-store");
    return c.json({ error, error_description: message, code, message }, status);
  };

  app.get("/.well-known/jwks.json", (c) => c.json(deps.signer.jwks));

  app.post("/v1/token", async (c) => {
    state.counters.tokenRequests += 1;
    const contentType = (c.req.header("content-type") ?? "").toLowerCase();
    if (!contentType.startsWith("application/json")) {
      return fail(c, 400, "invalid_request", "VALIDATION_ERROR", "The token endpoint takes application/json only.");
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return fail(c, 400, "invalid_request", "VALIDATION_ERROR", "The request body is not valid JSON.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return fail(c, 400, "invalid_request", "VALIDATION_ERROR", "The request body must be a JSON object.");
    }
    const fields = body as Record<string, unknown>;
    if (fields["grant_type"] !== "client_credentials") {
      return fail(c, 400, "unsupported_grant_type", "UNSUPPORTED_GRANT_TYPE", `grant_type must be "client_credentials" (the only supported grant).`);
    }
    const unknown = Object.keys(fields).filter((k) => !FIELDS.has(k));
    if (unknown.length) return fail(c, 400, "invalid_request", "VALIDATION_ERROR", `Unknown field(s): ${unknown.join(", ")}.`);
    const { client_id: clientId, client_secret: secret, scope, terminal_id: terminalId, expires_in: expiresIn } = fields;
    if (typeof clientId !== "string" || typeof secret !== "string") {
      return fail(c, 400, "invalid_request", "VALIDATION_ERROR", "client_id and client_secret are required strings.");
    }
    const audit = fingerprint(secret);
    if (!clientId.startsWith("cli_") || !/^cs_(live|test)_/.test(secret)) {
      return fail(c, 401, "invalid_client", "INVALID_CLIENT", "client_id must start with cli_ and client_secret with cs_test_ or cs_live_.", audit);
    }
    const auth = deps.store.authenticateClient(clientId, secret);
    if ("failure" in auth) {
      return auth.failure === "ENVIRONMENT_MISMATCH"
        ? fail(c, 401, "invalid_client", "ENVIRONMENT_MISMATCH", "Live client secrets (cs_live_) do not work against the sandbox; use a cs_test_ secret.", audit)
        : fail(c, 401, "invalid_client", "INVALID_CLIENT", "Unknown client, or wrong or expired client secret.", audit);
    }
    const { client } = auth;

    let scopes: readonly string[] = client.scopes;
    if (scope !== undefined) {
      if (typeof scope !== "string") return fail(c, 400, "invalid_request", "VALIDATION_ERROR", "scope must be a space-separated string.", audit);
      scopes = [...new Set(scope.split(" ").filter(Boolean))];
      const unknownScopes = scopes.filter((s) => !(ATLAS_SCOPES as readonly string[]).includes(s));
      if (unknownScopes.length) return fail(c, 400, "invalid_scope", "INVALID_SCOPE", `Unknown scope(s): ${unknownScopes.join(" ")}.`, audit);
      const notAllowed = scopes.filter((s) => !(client.scopes as readonly string[]).includes(s));
      if (notAllowed.length) {
        return fail(c, 400, "invalid_scope", "INVALID_SCOPE", `This client may not request: ${notAllowed.join(" ")}.`, audit);
      }
      if (scopes.length === 0) return fail(c, 400, "invalid_scope", "INVALID_SCOPE", "scope is empty.", audit);
    }

    if (terminalId === undefined) {
      return fail(c, 400, "invalid_request", "TERMINAL_ID_REQUIRED", "terminal_id is required for cloud mode (e.g. TID-00012345).", audit);
    }
    if (typeof terminalId !== "string" || !TERMINAL_PATTERN.test(terminalId)) {
      return fail(c, 400, "invalid_request", "VALIDATION_ERROR", "terminal_id must look like TID-00012345.", audit);
    }
    const merchant = deps.merchants.find((m) => m.id === client.merchantId);
    if (!merchant?.terminals.includes(terminalId)) {
      return fail(c, 400, "invalid_request", "UNKNOWN_TERMINAL", `Terminal ${terminalId} does not belong to this client's merchant.`, audit);
    }

    let lifetime = deps.defaultLifetimeSeconds;
    if (expiresIn !== undefined) {
      if (typeof expiresIn !== "number" || !Number.isInteger(expiresIn) || expiresIn < 1) {
        return fail(c, 400, "invalid_request", "VALIDATION_ERROR", "expires_in must be a positive integer (seconds).", audit);
      }
      if (expiresIn > MAX_LIFETIME) {
        return fail(c, 400, "invalid_request", "EXPIRES_IN_TOO_LONG", `expires_in may be at most ${MAX_LIFETIME} seconds (24 hours).`, audit);
      }
      lifetime = expiresIn;
    }

    const accessToken = await deps.signer.sign({ clientId, merchantId: client.merchantId, terminalId, scopes }, lifetime);
    state.counters.tokensIssued += 1;
    state.audit(c, { status: 200, scheme: "client_credentials", fingerprint: audit, terminalId });
    c.header("cache-control", "no-store");
    return c.json({ access_token: accessToken, token_type: "Bearer", expires_in: lifetime, scope: scopes.join(" "), terminal_id: terminalId });
  });

  app.notFound((c) => c.json({ code: "NOT_FOUND", message: `No route ${c.req.method} ${c.req.path}.` }, 404));
  app.onError((_e, c) => c.json({ code: "INTERNAL_ERROR", message: "The sandbox failed to handle the request." }, 500));
  return app;
}
