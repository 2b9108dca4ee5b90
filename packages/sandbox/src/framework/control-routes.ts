import { assertFaultRule, type FaultRegistry } from "../faults.js";
import type { FaultRule } from "../types.js";
import type { SandboxClock } from "./clock.js";
import { errorBody, errorResponse } from "./errors.js";
import { isLoopbackAddress } from "./loopback.js";

/** Path prefix of the sandbox's own control endpoints on every origin. */
export const CONTROL_PREFIX = "/__sandbox/";

const json = (status: number, value: unknown): Response =>
  new Response(status === 204 ? null : JSON.stringify(value), {
    status,
    headers: status === 204 ? {} : { "content-type": "application/json; charset=utf-8" },
  });

/**
 * Answers the control endpoints, for tests in another process:
 * `GET|POST|DELETE /__sandbox/faults` (list, inject one rule or an array, clear) and
 * `GET|POST /__sandbox/clock` (`{ advanceMs }` or `{ now }`, `{ reset: true }`). Loopback callers only.
 */
export async function handleControlRequest(
  request: Request,
  remoteAddress: string | undefined,
  deps: { readonly faults: FaultRegistry; readonly clock: SandboxClock },
): Promise<Response> {
  if (!isLoopbackAddress(remoteAddress)) {
    return errorResponse(403, errorBody("FORBIDDEN", "Sandbox control endpoints answer loopback callers only."));
  }
  const path = new URL(request.url).pathname.replace(/\/+$/, "");
  const method = request.method.toUpperCase();
  if (path === "/__sandbox/faults") {
    if (method === "GET") return json(200, { rules: deps.faults.list() });
    if (method === "DELETE") {
      deps.faults.clear();
      return json(204, null);
    }
    if (method === "POST") {
      const body = await readJson(request);
      if (body === undefined) return errorResponse(400, errorBody("VALIDATION_ERROR", "Body must be a JSON fault rule or an array of them."));
      const rules = (Array.isArray(body) ? body : [body]) as FaultRule[];
      try {
        rules.forEach(assertFaultRule);
      } catch (error) {
        return errorResponse(400, errorBody("VALIDATION_ERROR", (error as Error).message));
      }
      rules.forEach((rule) => deps.faults.inject(rule));
      return json(201, { rules: deps.faults.list() });
    }
  }
  if (path === "/__sandbox/clock") {
    if (method === "GET") return json(200, { now: deps.clock.now() });
    if (method === "POST") {
      const body = (await readJson(request)) as { advanceMs?: unknown; now?: unknown; reset?: unknown } | undefined;
      if (body && typeof body.advanceMs === "number" && Number.isFinite(body.advanceMs)) deps.clock.advance(body.advanceMs);
      else if (body && typeof body.now === "number" && Number.isFinite(body.now)) deps.clock.set(body.now);
      else if (body && body.reset === true) deps.clock.reset();
      else return errorResponse(400, errorBody("VALIDATION_ERROR", `Body must be { "advanceMs": number }, { "now": epochMs } or { "reset": true }.`));
      return json(200, { now: deps.clock.now() });
    }
  }
  return errorResponse(404, errorBody("NOT_FOUND", `No sandbox control endpoint ${method} ${path}.`));
}

async function readJson(request: Request): Promise<unknown> {
  try {
    return JSON.parse(await request.text()) as unknown;
  } catch {
    return undefined;
  }
}
