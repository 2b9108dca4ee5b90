/** HTTP plumbing of the EUDR sandbox: its error codes and problem, a fresh request id per request, validated input, pages. */
import type { operations } from "@nentropy/api-client";
import type { DeclaredErrorCode } from "../../framework/error-codes.js";
import { HttpProblem, requestIdMiddleware as createRequestIdMiddleware } from "../../framework/http.js";
import { page, type PageQuery } from "../../framework/pages.js";
import { requestInput } from "../../framework/request-input.js";

/** Every `code` the EUDR spec declares, as `@nentropy/api-client` types it. */
export type EudrErrorCode = DeclaredErrorCode<operations>;

/** Thrown inside handlers; `onError` turns it (and any `HttpProblem`) into the spec's error body. */
export class EudrProblem extends HttpProblem<EudrErrorCode> {
  override name = "EudrProblem";
}

/** Assigns a fresh `X-Request-Id` to every response. */
export const requestIdMiddleware = createRequestIdMiddleware({ keepCallers: false });

/** The request as `specs/eudr.yaml` declares it, once the guard validated it: `input(c, "createSupplier").body`. */
export const input = requestInput<operations>();

/** One page of `items` in the EUDR envelope `{ data, pagination: { limit, hasMore, nextCursor } }`. */
export function paginate<T>(items: readonly T[], query: PageQuery) {
  const { data, limit, nextCursor } = page(items, query);
  return { data, pagination: { limit, hasMore: nextCursor !== null, nextCursor } };
}
