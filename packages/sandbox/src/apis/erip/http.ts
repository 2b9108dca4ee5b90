/** HTTP plumbing of the ERIP sandbox: error bodies, request ids, JSON bodies, queries, parameters. */
import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { EripEnv } from "./env.js";

/** Every `code` the ERIP spec declares. */
export type EripErrorCode =
  | "VALIDATION_ERROR"
  | "INVITE_INVALID"
  | "INVITE_EXPIRED"
  | "LOGIN_LINK_INVALID"
  | "LOGIN_LINK_EXPIRED"
  | "AUTHENTICATION_REQUIRED"
  | "INVALID_TOKEN"
  | "TOKEN_EXPIRED"
  | "INVALID_API_KEY"
  | "API_KEY_REVOKED"
  | "USER_SUSPENDED"
  | "JWT_REQUIRED"
  | "TENANT_ADMIN_REQUIRED"
  | "USER_CREDENTIAL_REQUIRED"
  | "INSUFFICIENT_CREDITS"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED";

/** Thrown inside handlers; `onError` turns it into the spec's error body. */
export class EripProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: EripErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "EripProblem";
  }
}

/** Writes `{ code, message, requestId, details? }`. */
export function errorJson(c: Context<EripEnv>, problem: EripProblem): Response {
  const body = { code: problem.code, message: problem.message, requestId: c.get("requestId"), ...(problem.details ? { details: problem.details } : {}) };
  return c.json(body, problem.status, problem.headers ?? {});
}

/** Assigns `X-Request-Id` to every response. */
export const requestIdMiddleware: MiddlewareHandler<EripEnv> = async (c, next) => {
  const id = `req_${randomBytes(8).toString("hex")}`;
  c.set("requestId", id);
  await next();
  c.res.headers.set("X-Request-Id", id);
};

function validationProblem(where: string, error: z.ZodError): EripProblem {
  const fields = error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  const first = fields[0];
  return new EripProblem(400, "VALIDATION_ERROR", first ? `${first.path || where}: ${first.message}` : `Invalid ${where}`, { fields });
}

/** Parses the JSON body (must be `application/json`) and validates it. */
export async function readJson<T>(c: Context<EripEnv>, schema: z.ZodType<T>): Promise<T> {
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(c.req.header("content-type") ?? "")) {
    throw new EripProblem(400, "VALIDATION_ERROR", "Content-Type must be application/json");
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new EripProblem(400, "VALIDATION_ERROR", "Request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationProblem("body", parsed.error);
  return parsed.data;
}

/** Validates the query string. */
export function readQuery<T>(c: Context<EripEnv>, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw validationProblem("query", parsed.error);
  return parsed.data;
}

/** Validates one path parameter. */
export function readParam<T>(c: Context<EripEnv>, name: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(c.req.param(name));
  if (!parsed.success) throw new EripProblem(400, "VALIDATION_ERROR", `${name}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

/** Epoch ms to ISO 8601. */
export const iso = (ms: number): string => new Date(ms).toISOString();
