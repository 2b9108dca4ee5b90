/** HTTP plumbing shared by the sandbox APIs: error bodies, request ids, JSON bodies, cursor pages. */
import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

/** Hono environment every API using this plumbing provides: a request id per request. */
export type RequestIdEnv = { Variables: { requestId: string } };

/** Writes the spec's error body `{ code, message, requestId, details? }`. */
export function apiError<E extends RequestIdEnv>(
  c: Context<E>,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): Response {
  const requestId = c.get("requestId");
  return c.json({ code, message, requestId, ...(details ? { details } : {}) }, status);
}

/** Thrown inside handlers, turned into the declared error body by `onError` (`C`: the API's error codes). */
export class HttpProblem<C extends string = string> extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: C,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "HttpProblem";
  }
}

/** Writes a thrown problem as the spec's error body, with its headers. */
export function problemResponse<E extends RequestIdEnv>(c: Context<E>, problem: HttpProblem): Response {
  for (const [name, value] of Object.entries(problem.headers ?? {})) c.header(name, value);
  return apiError(c, problem.status, problem.code, problem.message, problem.details);
}

/** Assigns `X-Request-Id` to every response; `keepCallers` keeps a caller-supplied one. */
export function requestIdMiddleware(options: { readonly keepCallers: boolean }): MiddlewareHandler<RequestIdEnv> {
  return async (c, next) => {
    const id = (options.keepCallers ? c.req.header("x-request-id") : undefined) ?? `req_${randomBytes(8).toString("hex")}`;
    c.set("requestId", id);
    await next();
    c.res.headers.set("X-Request-Id", id);
  };
}

/** Assigns `X-Request-Id` to every response (keeps a caller-supplied one). */
export const requestId: MiddlewareHandler<RequestIdEnv> = requestIdMiddleware({ keepCallers: true });

/** Parses and validates a JSON body; bad JSON or schema issues become `400 VALIDATION_ERROR`. */
export async function readJson<T, E extends RequestIdEnv>(c: Context<E>, schema: z.ZodType<T>, optional = false): Promise<T> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== "" || !optional) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HttpProblem(400, "VALIDATION_ERROR", "Request body is not valid JSON");
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const first = issues[0];
    throw new HttpProblem(400, "VALIDATION_ERROR", first ? `${first.path || "body"}: ${first.message}` : "Invalid body", { issues });
  }
  return parsed.data;
}

/** Validates query parameters against a schema. */
export function readQuery<T, E extends RequestIdEnv>(c: Context<E>, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new HttpProblem(400, "VALIDATION_ERROR", `Invalid query parameter ${issues[0]?.path ?? ""}`.trim(), { issues });
  }
  return parsed.data;
}

/** One page of `items` from an opaque offset cursor (`400 VALIDATION_ERROR` for a foreign cursor). */
export function paginate<T>(items: readonly T[], cursor: string | undefined, limit: number) {
  let offset = 0;
  if (cursor !== undefined) {
    const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!match?.[1]) throw new HttpProblem(400, "VALIDATION_ERROR", "cursor is not a cursor this API issued");
    offset = Number(match[1]);
  }
  const data = items.slice(offset, offset + limit);
  const next = offset + limit;
  const hasMore = next < items.length;
  return { data, hasMore, nextCursor: hasMore ? Buffer.from(`o:${next}`).toString("base64url") : null };
}
