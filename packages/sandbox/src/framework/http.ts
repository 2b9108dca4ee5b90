/** HTTP plumbing shared by the sandbox APIs: error bodies, thrown problems, request ids. */
import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

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

/** `apiError` limited to one API's codes: `const imsError: ApiError<ImsErrorCode> = apiError;`. */
export type ApiError<C extends string> = <E extends RequestIdEnv>(
  c: Context<E>,
  status: ContentfulStatusCode,
  code: C,
  message: string,
  details?: Record<string, unknown>,
) => Response;

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
