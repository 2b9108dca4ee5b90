/** Assembles the EUDR Hono app: request ids, the routes under `/api/v1/integration`, error mapping. */
import { Hono } from "hono";
import type { DataRegistry } from "./data-store.js";
import type { EudrEnv } from "./env.js";
import { createGuard, type RateLimit } from "./guard.js";
import { createSpecCheck } from "../../framework/spec-check.js";
import { HttpProblem, problemResponse } from "../../framework/http.js";
import { EudrProblem, requestIdMiddleware } from "./http.js";
import { registerRecordRoutes } from "./routes-records.js";
import { registerStreamRoutes, type StreamCuts } from "./routes-stream.js";
import { registerSyncRoutes } from "./routes-sync.js";
import { registerWebhookRoutes } from "./routes-webhooks.js";
import type { TokenStore } from "./token-store.js";

/** Path of the spec's server URL, where the sandbox serves the API. */
export const EUDR_BASE_PATH = "/api/v1/integration";

/** Dependencies of the EUDR app. */
export interface EudrAppDeps {
  readonly tokens: TokenStore;
  readonly data: DataRegistry;
  readonly now: () => number;
  readonly rateLimit: RateLimit;
  readonly onAuthenticated?: (integrationId: string) => void;
  /** Connections of `/sync/logs/stream` to cut mid-event (`control.cutSyncLogStream`). */
  readonly streamCuts?: StreamCuts;
}

/** Builds the app; every failure is one of the spec's error bodies, never a bare 500. */
export function createEudrApp(deps: EudrAppDeps): Hono<EudrEnv> {
  const guard = createGuard({ ...deps, specCheck: createSpecCheck("eudr") });
  const api = new Hono<EudrEnv>();
  registerRecordRoutes(api, { guard, now: deps.now });
  registerWebhookRoutes(api, { guard, now: deps.now });
  registerSyncRoutes(api, { guard });
  registerStreamRoutes(api, { guard, cuts: deps.streamCuts ?? { pending: [] } });

  const app = new Hono<EudrEnv>();
  app.use("*", requestIdMiddleware);
  app.route(EUDR_BASE_PATH, api);
  app.notFound((c) => problemResponse(c, new EudrProblem(404, "NOT_FOUND", `No route ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c, error);
    return problemResponse(c, new EudrProblem(400, "VALIDATION_ERROR", "The request could not be processed"));
  });
  return app;
}
