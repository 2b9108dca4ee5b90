import type { MiddlewareHandler } from "hono";
import { errorBody } from "../../framework/errors.js";
import { sha256Hex } from "../../framework/fingerprint.js";
import { deref, type OpenApiDocument, type OperationIndex } from "../../framework/spec.js";
import { principalOf } from "./authenticate.js";

interface StoredResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

interface Entry {
  readonly payload: string;
  readonly expiresAt: number;
  response?: StoredResponse;
}

/** How long a key is remembered. */
const KEY_TTL_MS = 24 * 3600 * 1000;

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same payload. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Keys (`"METHOD /template"`) of the operations that declare an `Idempotency-Key` header parameter. */
export function idempotentOperations(doc: OpenApiDocument, index: OperationIndex): Set<string> {
  const keys = new Set<string>();
  for (const op of index.operations) {
    const params = op.node["parameters"];
    if (!Array.isArray(params)) continue;
    const declares = params.some((p) => {
      const node = deref<Record<string, unknown>>(doc, { pointer: "", node: p }).node;
      return node?.["in"] === "header" && String(node["name"]).toLowerCase() === "idempotency-key";
    });
    if (declares) keys.add(op.key);
  }
  return keys;
}

/**
 * Idempotency-Key store (draft-ietf-httpapi-idempotency-key-header), per merchant: the first
 * request with a key runs and its response is stored; a retry with the same key and payload gets
 * that stored response with `Idempotent-Replayed: true`; the same key with another payload gets
 * `422 IDEMPOTENCY_KEY_REUSED`; a retry while the first is still running gets
 * `409 IDEMPOTENCY_KEY_IN_USE`. A 5xx answer is not stored (the key is released).
 */
export function idempotencyMiddleware(deps: {
  readonly now: () => number;
  readonly index: OperationIndex;
  readonly operations: ReadonlySet<string>;
}): MiddlewareHandler {
  const store = new Map<string, Entry>();
  return async (c, next) => {
    const matched = deps.index.match(c.req.method, c.req.path);
    const key = c.req.header("idempotency-key");
    if (!matched || !deps.operations.has(matched.operation.key) || key === undefined) return next();
    const requestId = c.get("requestId" as never) as string | undefined;
    const principal = principalOf(c);
    const storeKey = `${principal.merchantId}\u0000${key}`;
    const text = await c.req.raw.clone().text();
    let body: unknown = null;
    try {
      body = text.trim() ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const payload = sha256Hex(`${matched.operation.key}\n${canonicalJson(body)}`);

    const now = deps.now();
    let entry = store.get(storeKey);
    if (entry && entry.expiresAt <= now) {
      store.delete(storeKey);
      entry = undefined;
    }
    if (entry) {
      if (entry.payload !== payload) {
        return c.json(
          errorBody("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request; use a new key.", { requestId }),
          422,
        );
      }
      if (!entry.response) {
        c.header("retry-after", "1");
        return c.json(errorBody("IDEMPOTENCY_KEY_IN_USE", "A request with this Idempotency-Key is still being processed; retry shortly.", { requestId }), 409);
      }
      const stored = entry.response;
      return new Response(stored.body, {
        status: stored.status,
        headers: { "content-type": stored.contentType, "idempotent-replayed": "true", ...(requestId ? { "x-request-id": requestId } : {}) },
      });
    }

    const fresh: Entry = { payload, expiresAt: now + KEY_TTL_MS };
    store.set(storeKey, fresh);
    try {
      await next();
    } catch (error) {
      store.delete(storeKey);
      throw error;
    }
    if (c.res.status >= 500) {
      store.delete(storeKey);
      return;
    }
    const responseBody = await c.res.clone().text();
    fresh.response = { status: c.res.status, contentType: c.res.headers.get("content-type") ?? "application/json", body: responseBody };
  };
}
