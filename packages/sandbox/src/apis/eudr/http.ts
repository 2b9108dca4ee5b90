/** HTTP plumbing of the EUDR sandbox: error bodies, request ids, JSON bodies, queries, cursor pages. */
import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { EudrEnv } from "./env.js";

/** Every `code` the EUDR spec declares. */
export type EudrErrorCode =
  | "AUTHENTICATION_REQUIRED"
  | "INVALID_TOKEN_FORMAT"
  | "INVALID_TOKEN"
  | "TOKEN_REVOKED"
  | "TOKEN_EXPIRED"
  | "INTEGRATION_INACTIVE"
  | "INSUFFICIENT_SCOPES"
  | "VALIDATION_ERROR"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED";

/** Thrown inside handlers; `onError` turns it into the spec's error body. */
export class EudrProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: EudrErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "EudrProblem";
  }
}

/** Writes `{ code, message, requestId, details? }` with `status`. */
export function errorJson(c: Context<EudrEnv>, problem: EudrProblem): Response {
  const body = { code: problem.code, message: problem.message, requestId: c.get("requestId"), ...(problem.details ? { details: problem.details } : {}) };
  return c.json(body, problem.status, problem.headers ?? {});
}

/** Assigns `X-Request-Id` to every response. */
export const requestIdMiddleware: MiddlewareHandler<EudrEnv> = async (c, next) => {
  const id = `req_${randomBytes(8).toString("hex")}`;
  c.set("requestId", id);
  await next();
  c.res.headers.set("X-Request-Id", id);
};

const issuesOf = (error: z.ZodError): Array<{ path: string; message: string }> =>
  error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));

function validationProblem(where: string, error: z.ZodError): EudrProblem {
  const fields = issuesOf(error);
  const first = fields[0];
  return new EudrProblem(400, "VALIDATION_ERROR", first ? `${first.path || where}: ${first.message}` : `Invalid ${where}`, { fields });
}

/** Parses the JSON body (must be `application/json`) and validates it. */
export async function readJson<T>(c: Context<EudrEnv>, schema: z.ZodType<T>): Promise<T> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new EudrProblem(400, "VALIDATION_ERROR", "Content-Type must be application/json");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new EudrProblem(400, "VALIDATION_ERROR", "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationProblem("body", parsed.error);
  return parsed.data;
}

/** Validates the query string. */
export function readQuery<T>(c: Context<EudrEnv>, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationProblem("query", parsed.error);
  return parsed.data;
}

/** Validates one path parameter. */
export function readParam<T>(c: Context<EudrEnv>, name: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.param(name));
  if (!parsed.success) throw new EudrProblem(400, "VALIDATION_ERROR", `${name}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

/** One page of `items` from an opaque offset cursor. */
export function paginate<T>(items: readonly T[], cursor: string | undefined, limit: number) {
  let offset = 0;
  if (cursor !== undefined) {
    const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!match?.[1]) throw new EudrProblem(400, "VALIDATION_ERROR", "cursor: not a cursor this API issued");
    offset = Number(match[1]);
  }
  const next = offset + limit;
  const hasMore = next < items.length;
  return {
    data: items.slice(offset, next),
    pagination: { limit, hasMore, nextCursor: hasMore ? Buffer.from(`o:${next}`).toString("base64url") : null },
  };
}
