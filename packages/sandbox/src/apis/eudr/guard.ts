/**
 * The per-route guard of the EUDR sandbox: token check (the seed's 401/403 table), the route's
 * scope, the token's rate-limit window, validation against the spec, then the `Idempotency-Key`
 * store (per integration). Headers `X-RateLimit-*` go on every guarded response.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { DataRegistry } from "./data-store.js";
import type { EudrEnv } from "./env.js";
import { idempotency } from "../../framework/idempotency.js";
import { createFixedWindows } from "../../framework/rate-limit.js";
import { findSpecFile, loadSpec, operationIndex } from "../../framework/spec.js";
import { EudrProblem, type EudrErrorCode } from "./http.js";
import type { EudrScope } from "./scopes.js";
import type { TokenStore } from "./token-store.js";

/** Fixed-window request limit per token. */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** Dependencies of the guard. */
export interface GuardDeps {
  readonly tokens: TokenStore;
  readonly data: DataRegistry;
  readonly now: () => number;
  readonly rateLimit: RateLimit;
  /** Validates the request against the spec (throws `400 VALIDATION_ERROR`). */
  readonly specCheck: (c: Context<EudrEnv>) => Promise<void>;
  /** Called once per authenticated request (counters in `control`). */
  readonly onAuthenticated?: (integrationId: string) => void;
}

/** Builds `guard(scope)`: the middleware each route puts in front of its handler. */
export function createGuard(deps: GuardDeps): (scope: EudrScope) => MiddlewareHandler<EudrEnv> {
  const windows = createFixedWindows(deps.rateLimit.limit, deps.rateLimit.windowMs, deps.now);
  const { doc } = loadSpec(findSpecFile("eudr"));
  // The spec's 409 covers "an Idempotency-Key reused with a different body"; `details.reason` tells which.
  const idempotent = idempotency<EudrEnv, EudrErrorCode>({
    doc,
    index: operationIndex(doc),
    now: deps.now,
    ownerOf: (c) => c.get("auth").integration.id,
    answers: {
      reused: { status: 409, code: "CONFLICT", details: { reason: "IDEMPOTENCY_KEY_REUSED" } },
      inUse: { status: 409, code: "CONFLICT", details: { reason: "IDEMPOTENCY_KEY_IN_USE" } },
      invalid: { status: 400, code: "VALIDATION_ERROR" },
    },
  });
  return (scope) => async (c, next) => {
    const check = deps.tokens.authenticate(c.req.header("authorization"));
    if (!check.ok) throw new EudrProblem(check.status, check.code, check.message);
    if (!check.token.scopes.includes(scope)) {
      throw new EudrProblem(403, "INSUFFICIENT_SCOPES", "Token lacks required scopes", { requiredScopes: [scope] });
    }
    deps.onAuthenticated?.(check.integration.id);

    const { limited, resetSeconds, headers } = windows.hit(check.token.id);
    // Set on the context, so every response built with c.json/c.body (errors too) carries them.
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    if (limited) {
      throw new EudrProblem(429, "RATE_LIMITED", `Too many requests, retry in ${resetSeconds} seconds`, undefined, {
        ...headers,
        "Retry-After": String(resetSeconds),
      });
    }
    c.set("auth", { integration: check.integration, token: check.token, data: deps.data.forIntegration(check.integration.id) });
    await deps.specCheck(c);
    return idempotent(c, next);
  };
}
