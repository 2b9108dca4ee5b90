/**
 * `Idempotency-Key` on creates: the same key and body within 24 h replays the first `201`; the
 * same key with another body (or on another route) is `409 CONFLICT`.
 */
import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { EudrEnv } from "./env.js";
import { EudrProblem } from "./http.js";

const TTL_MS = 24 * 60 * 60 * 1000;

/** JSON with object keys sorted, so equal bodies hash equally whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Runs `create` once per idempotency key and answers `201` with its result (or the replay). */
export function createOnce(c: Context<EudrEnv>, route: string, body: unknown, now: number, create: () => unknown): Response {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return c.json(create() as object, 201);
  if (key.length < 1 || key.length > 255) throw new EudrProblem(400, "VALIDATION_ERROR", "Idempotency-Key: must be 1 to 255 characters");
  const { idempotency } = c.get("auth").data;
  const bodyHash = createHash("sha256").update(canonical(body)).digest("hex");
  const previous = idempotency.get(key);
  if (previous && previous.expiresAt > now) {
    if (previous.route !== route || previous.bodyHash !== bodyHash) {
      throw new EudrProblem(409, "CONFLICT", "Idempotency-Key was already used with a different request", { reason: "IDEMPOTENCY_KEY_REUSED" });
    }
    return c.json(previous.body as object, 201, { "Idempotent-Replayed": "true" });
  }
  const result = create();
  idempotency.set(key, { route, bodyHash, status: 201, body: result, expiresAt: now + TTL_MS });
  return c.json(result as object, 201);
}
