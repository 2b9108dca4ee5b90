import { Hono, type Context } from "hono";
import { fingerprint } from "../../framework/fingerprint.js";
import type { OpenApiDocument } from "../../framework/spec.js";
import type { SchemaProblem } from "../../validate.js";
import { createTokenRequestReader, type TokenRequestFailure } from "../../framework/token-request.js";
import type { CredentialStore } from "./credential-store.js";
import { atlasError, type AtlasTokenError, type AtlasTokenRequest } from "./problem.js";
import { ATLAS_SCOPES, type AtlasMerchantSeed } from "./seed.js";
import type { TokenSigner } from "./token-signer.js";
import type { AtlasState } from "./state.js";

/** Fields whose pattern names the credential kind (`cli_`, `cs_test_`/`cs_live_`): a mismatch is a client failure. */
const CREDENTIAL_FIELDS = new Set(["/client_id", "/client_secret"]);

/** The spec's error for a body its `TokenRequest` schema refused: `invalid_request` unless only the credentials' or lifetime's shape is wrong. */
function schemaError(failure: Extract<TokenRequestFailure, { kind: "invalid" }>): { status: 400 | 401; error: AtlasTokenError["error"]; code: AtlasTokenError["code"]; message: string } {
  const credential = (p: SchemaProblem) => p.keyword === "pattern" && CREDENTIAL_FIELDS.has(p.path);
  const tooLong = (p: SchemaProblem) => p.keyword === "maximum" && p.path === "/expires_in";
  const other = failure.problems.filter((p) => !credential(p) && !tooLong(p));
  if (other.length) return { status: 400, error: "invalid_request", code: "VALIDATION_ERROR", message: failure.message };
  if (failure.problems.some(credential)) {
    return { status: 401, error: "invalid_client", code: "INVALID_CLIENT", message: "client_id must look like cli_<letters and digits>, client_secret like cs_test_<letters and digits> (or cs_live_)." };
  }
  const limit = failure.problems.find(tooLong)?.message ?? "is too long";
  return { status: 400, error: "invalid_request", code: "EXPIRES_IN_TOO_LONG", message: `expires_in ${limit} (seconds).` };
}

/**
 * The Atlas auth server (`POST /v1/token` on the `auth` origin): JSON only, client credentials
 * only, the body checked against the spec's `TokenRequest` (fields, `cli_`/`cs_test_` patterns,
 * terminal id, `expires_in` at most 86400), then the client's secret, scopes within the client's,
 * `terminal_id` required and one of the merchant's terminals; `expires_in` defaults to 3600 (or
 * `tokenLifetimeSeconds`). Errors are `TokenErrorResponse`s, in that order.
 */
export function createTokenApp(deps: {
  readonly doc: OpenApiDocument;
  readonly store: CredentialStore;
  readonly signer: TokenSigner;
  readonly merchants: readonly AtlasMerchantSeed[];
  readonly state: AtlasState;
  readonly defaultLifetimeSeconds: number;
}): Hono {
  const app = new Hono();
  const { state } = deps;
  const readTokenRequest = createTokenRequestReader<AtlasTokenRequest>(deps.doc, "#/components/schemas/TokenRequest", ["json"]);

  const fail = (c: Context, status: 400 | 401, error: AtlasTokenError["error"], code: AtlasTokenError["code"], message: string, audit = "none", details?: Record<string, unknown>) => {
    state.audit(c, { status, scheme: "client_credentials", fingerprint: audit });
    c.header("cache-control", "no-store");
    const body: AtlasTokenError & { details?: Record<string, unknown> } = { error, error_description: message, code, message, ...(details ? { details } : {}) };
    return c.json(body, status);
  };

  app.get("/.well-known/jwks.json", (c) => c.json(deps.signer.jwks));

  app.post("/v1/token", async (c) => {
    state.counters.tokenRequests += 1;
    const request = await readTokenRequest(c.req.raw);
    const presented = request.raw["client_secret"];
    const audit = typeof presented === "string" ? fingerprint(presented) : undefined;
    if (!request.ok) {
      const { failure } = request;
      if (failure.kind === "unsupported_grant_type") return fail(c, 400, "unsupported_grant_type", "UNSUPPORTED_GRANT_TYPE", `${failure.message} (the only supported grant).`, audit);
      if (failure.kind !== "invalid") return fail(c, 400, "invalid_request", "VALIDATION_ERROR", failure.message, audit);
      const { status, error, code, message } = schemaError(failure);
      return fail(c, status, error, code, message, audit, code === "VALIDATION_ERROR" ? { errors: failure.problems.map(({ keyword: _, ...p }) => p) } : undefined);
    }
    const { client_id: clientId, client_secret: secret, scope, terminal_id: terminalId, expires_in: expiresIn } = request.params;
    const auth = deps.store.authenticateClient(clientId, secret);
    if ("failure" in auth) {
      return auth.failure === "ENVIRONMENT_MISMATCH"
        ? fail(c, 401, "invalid_client", "ENVIRONMENT_MISMATCH", "Live client secrets (cs_live_) do not work against the sandbox; use a cs_test_ secret.", audit)
        : fail(c, 401, "invalid_client", "INVALID_CLIENT", "Unknown client, or wrong or expired client secret.", audit);
    }
    const { client } = auth;

    let scopes: readonly string[] = client.scopes;
    if (scope !== undefined) {
      scopes = [...new Set(scope.split(" ").filter(Boolean))];
      const unknownScopes = scopes.filter((s) => !(ATLAS_SCOPES as readonly string[]).includes(s));
      if (unknownScopes.length) return fail(c, 400, "invalid_scope", "INVALID_SCOPE", `Unknown scope(s): ${unknownScopes.join(" ")}.`, audit);
      const notAllowed = scopes.filter((s) => !(client.scopes as readonly string[]).includes(s));
      if (notAllowed.length) return fail(c, 400, "invalid_scope", "INVALID_SCOPE", `This client may not request: ${notAllowed.join(" ")}.`, audit);
      if (scopes.length === 0) return fail(c, 400, "invalid_scope", "INVALID_SCOPE", "scope is empty.", audit);
    }

    if (terminalId === undefined) {
      return fail(c, 400, "invalid_request", "TERMINAL_ID_REQUIRED", "terminal_id is required for cloud mode (e.g. TID-00012345).", audit);
    }
    const merchant = deps.merchants.find((m) => m.id === client.merchantId);
    if (!merchant?.terminals.includes(terminalId)) {
      return fail(c, 400, "invalid_request", "UNKNOWN_TERMINAL", `Terminal ${terminalId} does not belong to this client's merchant.`, audit);
    }

    // The spec's default (3600) is filled in by validation; an absent `expires_in` takes the sandbox's.
    const lifetime = "expires_in" in request.raw && expiresIn !== undefined ? expiresIn : deps.defaultLifetimeSeconds;
    const accessToken = await deps.signer.sign({ clientId, merchantId: client.merchantId, terminalId, scopes }, lifetime);
    state.counters.tokensIssued += 1;
    state.audit(c, { status: 200, scheme: "client_credentials", fingerprint: audit ?? "none", terminalId });
    c.header("cache-control", "no-store");
    return c.json({ access_token: accessToken, token_type: "Bearer", expires_in: lifetime, scope: scopes.join(" "), terminal_id: terminalId });
  });

  app.notFound((c) => c.json(atlasError("NOT_FOUND", `No route ${c.req.method} ${c.req.path}.`), 404));
  // As on the api origin: a handler bug answers the spec's retryable 503, not an undeclared 500.
  app.onError((_e, c) => {
    c.header("retry-after", "1");
    return c.json(atlasError("SERVICE_UNAVAILABLE", "The sandbox failed to handle the request."), 503);
  });
  return app;
}
