/** The IMS API on the `api` origin: JWT verification, tenant filtering, permissions, idempotency. */
import { Hono, type MiddlewareHandler } from "hono";
import type { AuthState } from "./auth-state.js";
import { authenticate, rateLimit } from "./authenticate.js";
import type { WindowTally } from "../../framework/rate-limit.js";
import type { ImsConfig } from "./config.js";
import type { ImsEnv } from "./env.js";
import { apiError, HttpProblem, problemResponse, requestId } from "../../framework/http.js";
import { DRAFT_IDEMPOTENCY_ANSWERS, idempotency } from "../../framework/idempotency.js";
import { imsError } from "./problem.js";
import { catalogRoutes } from "./routes/catalog.js";
import type { RouteDeps } from "./routes/deps.js";
import { inventoryRoutes } from "./routes/inventory.js";
import { procurementRoutes } from "./routes/procurement.js";
import { salesRoutes } from "./routes/sales.js";
import type { TenantStore } from "./tenant-store.js";
import { findSpecFile, loadSpec, operationIndex } from "../../framework/spec.js";
import { validateRequests } from "../../validate.js";

/**
 * Builds the `api` origin's app. Order per request (after the framework's CORS): request id, token (401), rate limit (429),
 * idempotency replay, the route's permission check (403), validation against `specs/ims.yaml`
 * (400; the handler reads the validated input), then the handler's business rules (404, 409).
 */
export function createApiApp(config: ImsConfig, auth: AuthState, store: TenantStore, now: () => number, rateLimitHistory?: Map<string, WindowTally[]>): Hono {
  const app = new Hono<ImsEnv>();
  const deps: RouteDeps = { store, now, validate: validateRequests(findSpecFile("ims")) as MiddlewareHandler<ImsEnv> };
  app.use("*", requestId);
  app.use("/v1/*", authenticate(config, () => auth.signer.jwks(), now));
  app.use("/v1/*", rateLimit(config.rateLimitPerMinute, now, { windowMs: config.rateLimitWindowSeconds * 1000, ...(rateLimitHistory ? { history: rateLimitHistory } : {}) }));
  const { doc } = loadSpec(findSpecFile("ims"));
  app.use("/v1/*", idempotency<ImsEnv, string>({ doc, index: operationIndex(doc), now, ownerOf: (c) => c.get("principal").tenantId, answers: DRAFT_IDEMPOTENCY_ANSWERS }));

  app.get("/v1/me", (c) => {
    const p = c.get("principal");
    return c.json({ tenantId: p.tenantId, subject: p.subject, permissions: p.permissions, authMode: p.authMode });
  });
  app.route("/v1", catalogRoutes(deps));
  app.route("/v1/inventory", inventoryRoutes(deps));
  app.route("/v1", procurementRoutes(deps));
  app.route("/v1", salesRoutes(deps));

  app.notFound((c) => imsError(c, 404, "NOT_FOUND", `No route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c, error);
    console.error("[sandbox:ims] unexpected error", error);
    // A sandbox bug: no code of the spec fits (it declares no 500), so the conventional one.
    return apiError(c, 500, "INTERNAL_ERROR", "Unexpected sandbox error");
  });
  // The origin contract is an untyped `Hono`; the typed variables stay inside this module's routes.
  return app as unknown as Hono;
}
