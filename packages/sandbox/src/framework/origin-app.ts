/** The app in front of each origin: CORS, the control endpoints, fault injection, then the API's own app. */
import type { HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { applyFault, type FaultRegistry } from "../faults.js";
import type { SandboxClock } from "./clock.js";
import { CONTROL_PREFIX, handleControlRequest } from "./control-routes.js";
import { errorBody, errorResponse } from "./errors.js";

/**
 * CORS for browser callers (the browser package's tests, browser apps against the sandbox): any
 * origin, reflected; any request header; every response header readable (`Retry-After`,
 * `X-Request-Id`, `X-RateLimit-*`, `Idempotent-Replayed`, `X-Credits-*`). Credentials travel in
 * headers, never cookies, so no `Allow-Credentials`. Preflights are answered before faults.
 */
const corsForBrowsers = cors({ origin: (origin) => origin || null, exposeHeaders: ["*"], maxAge: 600 });

/**
 * Builds the app one origin serves: hono's CORS, `/__sandbox/*` (faults and clock, loopback only),
 * then the API's app behind the API's fault rules (`404 NOT_FOUND` when the API has no app here).
 */
export function createOriginApp(app: Hono | undefined, deps: { readonly faults: FaultRegistry; readonly clock: SandboxClock }): Hono<{ Bindings: HttpBindings }> {
  const origin = new Hono<{ Bindings: HttpBindings }>();
  origin.use("*", corsForBrowsers);
  origin.all(`${CONTROL_PREFIX}*`, (c) => handleControlRequest(c.req.raw, c.env.incoming.socket.remoteAddress, deps));
  origin.all("*", (c) =>
    applyFault(deps.faults.take(c.req.method, c.req.path), c.env.incoming.socket, async () => {
      if (!app) return errorResponse(404, errorBody("NOT_FOUND", `No route ${c.req.method} ${c.req.path}.`));
      try {
        return await app.fetch(c.req.raw, c.env);
      } catch {
        return errorResponse(500, errorBody("INTERNAL_ERROR", "The sandbox failed to handle the request."));
      }
    }),
  );
  return origin;
}
