/** The Arrotech API on the `api` origin (prod.api.arrotechsolutions.com). */
import { Hono, type MiddlewareHandler } from "hono";
import { findSpecFile, loadSpec, operationIndex } from "../../framework/spec.js";
import { validateRequests } from "../../validate.js";
import type { AuthState } from "./auth-state.js";
import { authenticate, rateLimit } from "./authenticate.js";
import type { ArrotechEnv } from "./env.js";
import { apiError, HttpProblem, problemResponse, requestId } from "../../framework/http.js";
import { DRAFT_IDEMPOTENCY_ANSWERS, idempotency } from "../../framework/idempotency.js";
import { login } from "./login.js";
import { arrotechError } from "./problem.js";
import { chatRoutes } from "./routes/chat.js";
import { dataRoutes } from "./routes/data.js";
import type { RouteDeps } from "./routes/deps.js";
import { workflowRoutes } from "./routes/workflows.js";
import { createTokenEndpoint } from "./token-endpoint.js";
import type { WorkspaceStore } from "./workspace-store.js";

const PUBLIC = new Set(["/auth/token", "/auth/login"]);

/**
 * Builds the `api` origin's app. `/auth/token` and `/auth/login` are public; everything else goes
 * through: bearer credential (401), rate limit (429), idempotency replay, the route's scope check
 * (403), validation against `specs/arrotech.yaml` (400), then the handler (404, 409, 503).
 */
export function createApiApp(state: AuthState, store: WorkspaceStore): Hono {
  const app = new Hono<ArrotechEnv>();
  const { doc } = loadSpec(findSpecFile("arrotech"));
  const deps: RouteDeps = { store, now: state.now, workflowRunMs: state.config.workflowRunMs, validate: validateRequests(doc) as MiddlewareHandler<ArrotechEnv> };
  app.use("*", requestId);
  const tokenEndpoint = createTokenEndpoint(state, doc);
  app.post("/auth/token", (c) => tokenEndpoint(c, c.get("requestId")));
  app.post("/auth/login", deps.validate, (c) => login(c, state, c.get("requestId")));
  const guarded =
    (mw: MiddlewareHandler<ArrotechEnv>): MiddlewareHandler<ArrotechEnv> =>
    (c, next) =>
      PUBLIC.has(c.req.path) ? next() : mw(c, next);
  app.use("*", guarded(authenticate(state)));
  app.use("*", guarded(rateLimit(state.config.rateLimitPerMinute, state.now)));
  app.use("*", guarded(idempotency<ArrotechEnv, string>({ doc, index: operationIndex(doc), now: state.now, ownerOf: (c) => c.get("principal").workspaceId, answers: DRAFT_IDEMPOTENCY_ANSWERS })));

  app.get("/auth/me", (c) => {
    const p = c.get("principal");
    return c.json({ type: p.type, id: p.id, workspaceId: p.workspaceId, scopes: p.scopes, environment: state.config.environment });
  });
  app.route("/chat", chatRoutes(deps));
  app.route("/workflows", workflowRoutes(deps));
  app.route("/data", dataRoutes(deps));

  app.notFound((c) => arrotechError(c, 404, "NOT_FOUND", `No route ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c, error);
    console.error("[sandbox:arrotech] unexpected error", error);
    // A sandbox bug: no code of the spec fits (it declares no 500), so the conventional one.
    return apiError(c, 500, "INTERNAL_ERROR", "Unexpected sandbox error");
  });
  // The origin contract is an untyped `Hono`; the typed variables stay inside this module's routes.
  return app as unknown as Hono;
}
