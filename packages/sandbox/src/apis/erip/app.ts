/** Assembles the ERIP Hono app: request ids, the four route groups, error mapping. */
import { Hono } from "hono";
import type { EripDeps } from "./deps.js";
import type { EripEnv } from "./env.js";
import { HttpProblem, problemResponse } from "../../framework/http.js";
import { EripProblem, requestIdMiddleware } from "./http.js";
import { registerAuthRoutes } from "./routes-auth.js";
import { registerCompanyRoutes } from "./routes-companies.js";
import { registerMcpRoutes } from "./routes-mcp.js";
import { registerTenantRoutes } from "./routes-tenant.js";

/** Builds the app; every failure is one of the spec's error bodies, never a bare 500. */
export function createEripApp(deps: EripDeps): Hono<EripEnv> {
  const app = new Hono<EripEnv>();
  app.use("*", requestIdMiddleware);
  registerAuthRoutes(app, deps);
  registerTenantRoutes(app, deps);
  registerCompanyRoutes(app, deps);
  registerMcpRoutes(app, deps);
  app.notFound((c) => problemResponse(c, new EripProblem(404, "NOT_FOUND", `No route ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c, error);
    return problemResponse(c, new EripProblem(400, "VALIDATION_ERROR", "The request could not be processed"));
  });
  return app;
}
