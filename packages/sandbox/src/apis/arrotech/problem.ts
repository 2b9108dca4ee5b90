/** The Arrotech sandbox's thrown problem: only codes `specs/arrotech.yaml` declares, as `@arrotech/api-client` types them. */
import type { operations } from "@arrotech/api-client";
import type { DeclaredErrorCode } from "../../framework/error-codes.js";
import { apiError, HttpProblem, type ApiError } from "../../framework/http.js";

/** Every `code` the Arrotech spec declares. */
export type ArrotechErrorCode = DeclaredErrorCode<operations>;

/** Thrown inside handlers; the app's `onError` writes it as the spec's error body. */
export class ArrotechProblem extends HttpProblem<ArrotechErrorCode> {
  override name = "ArrotechProblem";
}

/** `apiError` limited to the codes the Arrotech spec declares. */
export const arrotechError: ApiError<ArrotechErrorCode> = apiError;
