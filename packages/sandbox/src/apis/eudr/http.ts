/** HTTP plumbing of the EUDR sandbox: its error codes and problem, a fresh request id per request; input readers from the framework. */
import { HttpProblem, requestIdMiddleware as createRequestIdMiddleware } from "../../framework/http.js";

export { readJson, readParam, readQuery } from "../../framework/strict-input.js";

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

/** Thrown inside handlers; `onError` turns it (and any `HttpProblem`) into the spec's error body. */
export class EudrProblem extends HttpProblem<EudrErrorCode> {
  override name = "EudrProblem";
}

/** Assigns a fresh `X-Request-Id` to every response. */
export const requestIdMiddleware = createRequestIdMiddleware({ keepCallers: false });

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
