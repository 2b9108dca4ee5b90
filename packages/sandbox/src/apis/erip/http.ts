/** HTTP plumbing of the ERIP sandbox: its error codes and problem, a fresh request id per request, validated input. */
import type { operations } from "@erip/api-client";
import type { DeclaredErrorCode } from "../../framework/error-codes.js";
import { HttpProblem, requestIdMiddleware as createRequestIdMiddleware } from "../../framework/http.js";
import { requestInput } from "../../framework/request-input.js";

/** The request as `specs/erip.yaml` declares it, once the guard validated it: `input(c, "createInvite").body`. */
export const input = requestInput<operations>();

/** Every `code` the ERIP spec declares, as `@erip/api-client` types it. */
export type EripErrorCode = DeclaredErrorCode<operations>;

/** Thrown inside handlers; `onError` turns it (and any `HttpProblem`) into the spec's error body. */
export class EripProblem extends HttpProblem<EripErrorCode> {
  override name = "EripProblem";
}

/** Assigns a fresh `X-Request-Id` to every response. */
export const requestIdMiddleware = createRequestIdMiddleware({ keepCallers: false });

/** Epoch ms to ISO 8601. */
export const iso = (ms: number): string => new Date(ms).toISOString();
