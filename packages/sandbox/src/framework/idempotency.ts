/**
 * The one `Idempotency-Key` store of the sandboxes (draft-ietf-httpapi-idempotency-key-header), for
 * the operations whose spec declares the header. Keys belong to an owner (tenant, workspace,
 * merchant, integration) and live 24 hours of the sandbox clock:
 *
 * - the first request with a key runs; a 2xx answer is stored, any other answer releases the key;
 * - the same key with the same operation and body (JSON compared with sorted keys) replays the
 *   stored answer with `Idempotent-Replayed: true`;
 * - the same key with another operation or body is the API's "reused" error (`422
 *   IDEMPOTENCY_KEY_REUSED`, or EUDR's `409 CONFLICT`);
 * - while the first request runs, the API's "in use" error (`409 IDEMPOTENCY_KEY_IN_USE`) with
 *   `Retry-After: 1`.
 */
import type { Context, Env, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorBody } from "./errors.js";
import { sha256Hex } from "./fingerprint.js";
import { deref, type OpenApiDocument, type OperationIndex } from "./spec.js";

/** An error answer of the store: status, the API's code, optional details. */
export interface IdempotencyAnswer<C extends string> {
  readonly status: ContentfulStatusCode;
  readonly code: C;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** How an API answers the store's refusals, in its spec's codes. */
export interface IdempotencyAnswers<C extends string> {
  /** The key was used with another operation or body. */
  readonly reused: IdempotencyAnswer<C>;
  /** The first request with the key is still running. */
  readonly inUse: IdempotencyAnswer<C>;
  /** The key is empty or longer than 255 characters. */
  readonly invalid: IdempotencyAnswer<C>;
}

/** Options of `idempotency`. */
export interface IdempotencyOptions<E extends Env, C extends string> {
  /** The API's spec and operation index: only operations declaring an `Idempotency-Key` header use the store. */
  readonly doc: OpenApiDocument;
  readonly index: OperationIndex;
  /** The sandbox clock. */
  readonly now: () => number;
  /** Who owns the keys of a request (tenant, workspace, merchant, integration): keys never collide across owners. */
  readonly ownerOf: (c: Context<E>) => string;
  readonly answers: IdempotencyAnswers<C>;
}

type Entry =
  | { readonly payload: string; readonly expiresAt: number; readonly state: "running" }
  | { readonly payload: string; readonly expiresAt: number; readonly state: "done"; readonly status: number; readonly headers: readonly [string, string][]; readonly body: string };

const TTL_MS = 24 * 60 * 60 * 1000;
/** Headers that belong to one answer, not to the stored result. */
const PER_ANSWER = /^(x-request-id|x-ratelimit-.*|retry-after|content-length)$/i;

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same payload. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function canonicalBody(text: string): string {
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

/** Keys (`"METHOD /template"`) of the operations that declare an `Idempotency-Key` header parameter. */
export function idempotentOperations(doc: OpenApiDocument, index: OperationIndex): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const op of index.operations) {
    const pathParams = (doc.paths?.[op.template] as Record<string, unknown> | undefined)?.["parameters"];
    const params = [...(Array.isArray(pathParams) ? pathParams : []), ...(Array.isArray(op.node["parameters"]) ? op.node["parameters"] : [])];
    const declares = params.some((p) => {
      const node = deref<Record<string, unknown>>(doc, { pointer: "", node: p }).node;
      return node?.["in"] === "header" && String(node["name"]).toLowerCase() === "idempotency-key";
    });
    if (declares) keys.add(op.key);
  }
  return keys;
}

/** The store, as middleware: put it after authentication (it needs the owner) and before the handlers. */
export function idempotency<E extends Env, C extends string>(options: IdempotencyOptions<E, C>): MiddlewareHandler<E> {
  const operations = idempotentOperations(options.doc, options.index);
  const entries = new Map<string, Entry>();
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    const matched = key === undefined ? undefined : options.index.match(c.req.method, c.req.path);
    if (key === undefined || !matched || !operations.has(matched.operation.key)) return next();
    const requestId = c.get("requestId" as never) as string | undefined;
    const refuse = (answer: IdempotencyAnswer<C>, message: string) => c.json(errorBody(answer.code, message, { requestId, details: answer.details }), answer.status);
    if (key.length < 1 || key.length > 255) return refuse(options.answers.invalid, "Idempotency-Key must be 1 to 255 characters.");

    const id = `${options.ownerOf(c)}\u0000${key}`;
    // A clone, so the body stays readable for validation and the handler.
    const payload = sha256Hex(`${matched.operation.key}\n${canonicalBody(await c.req.raw.clone().text())}`);
    const now = options.now();
    const existing = entries.get(id);
    if (existing && existing.expiresAt > now) {
      if (existing.payload !== payload) return refuse(options.answers.reused, "This Idempotency-Key was already used with a different request; use a new key.");
      if (existing.state === "running") {
        c.header("Retry-After", "1");
        return refuse(options.answers.inUse, "A request with this Idempotency-Key is still being processed; retry shortly.");
      }
      const headers = new Headers(existing.headers as [string, string][]);
      headers.set("Idempotent-Replayed", "true");
      if (requestId) headers.set("X-Request-Id", requestId);
      return new Response(existing.body, { status: existing.status, headers });
    }

    entries.set(id, { payload, expiresAt: now + TTL_MS, state: "running" });
    try {
      await next();
    } catch (error) {
      entries.delete(id);
      throw error;
    }
    const res = c.res;
    if (res.status < 200 || res.status > 299) {
      entries.delete(id);
      return;
    }
    const headers = [...res.headers.entries()].filter(([name]) => !PER_ANSWER.test(name));
    entries.set(id, { payload, expiresAt: now + TTL_MS, state: "done", status: res.status, headers, body: await res.clone().text() });
  };
}

/** The answers of the specs that follow the draft's codes (IMS, Arrotech, Atlas). */
export const DRAFT_IDEMPOTENCY_ANSWERS = {
  reused: { status: 422, code: "IDEMPOTENCY_KEY_REUSED" },
  inUse: { status: 409, code: "IDEMPOTENCY_KEY_IN_USE" },
  invalid: { status: 400, code: "VALIDATION_ERROR" },
} as const satisfies IdempotencyAnswers<string>;
