/**
 * Idempotency-Key store (per tenant or workspace, 24 h), as the IETF Idempotency-Key draft has it:
 * the same key and body replays the
 * first response; a different body is `422 IDEMPOTENCY_KEY_REUSED`; a key whose first request is
 * still running is `409 IDEMPOTENCY_KEY_IN_USE`. Only successful responses are stored.
 */
import { createHash } from "node:crypto";
import type { Context, Env, MiddlewareHandler } from "hono";
import { apiError, type RequestIdEnv } from "./http.js";

type Entry =
  | { readonly fingerprint: string; readonly state: "running"; readonly at: number }
  | { readonly fingerprint: string; readonly state: "done"; readonly at: number; readonly status: number; readonly body: string; readonly headers: [string, string][] };

const TTL_MS = 24 * 60 * 60 * 1000;

/**
 * @param now the sandbox clock
 * @param scopeOf who owns the keys of a request (tenant, workspace): keys never collide across them
 */
export function idempotency<E extends Env & RequestIdEnv>(now: () => number, scopeOf: (c: Context<E>) => string): MiddlewareHandler<E> {
  const entries = new Map<string, Entry>();
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return next();
    if (key.length < 1 || key.length > 255) return apiError(c, 400, "VALIDATION_ERROR", "Idempotency-Key must be 1 to 255 characters");
    const body = await c.req.raw.clone().text(); // leaves the body readable for validation and the handler
    const fingerprint = createHash("sha256").update(`${c.req.method} ${c.req.path}\n${body}`).digest("hex");
    const id = `${scopeOf(c)}\n${c.req.method} ${c.req.path}\n${key}`;
    const t = now();
    const existing = entries.get(id);
    if (existing && t - existing.at < TTL_MS) {
      if (existing.fingerprint !== fingerprint) return apiError(c, 422, "IDEMPOTENCY_KEY_REUSED", "Idempotency-Key was used with a different payload");
      if (existing.state === "running") return apiError(c, 409, "IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is still in progress");
      const headers = new Headers(existing.headers);
      headers.set("Idempotency-Replayed", "true");
      headers.set("X-Request-Id", c.get("requestId"));
      return new Response(existing.body, { status: existing.status, headers });
    }
    entries.set(id, { fingerprint, state: "running", at: t });
    try {
      await next();
    } finally {
      const res = c.res;
      if (res.status >= 200 && res.status < 300) {
        const text = await res.clone().text();
        entries.set(id, { fingerprint, state: "done", at: t, status: res.status, body: text, headers: [...res.headers.entries()] });
      } else {
        entries.delete(id);
      }
    }
  };
}
