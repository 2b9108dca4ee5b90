/** The IMS sandbox's thrown problem: only codes `specs/ims.yaml` declares, as `@atrope-ai/api-client` types them. */
import type { operations } from "@atrope-ai/api-client";
import type { DeclaredErrorCode } from "../../framework/error-codes.js";
import { apiError, HttpProblem, type ApiError } from "../../framework/http.js";

/** Every `code` the IMS spec declares. */
export type ImsErrorCode = DeclaredErrorCode<operations>;

/** Thrown inside handlers; the app's `onError` writes it as the spec's error body. */
export class ImsProblem extends HttpProblem<ImsErrorCode> {
  override name = "ImsProblem";
}

/** `apiError` limited to the codes the Ims spec declares. */
export const imsError: ApiError<ImsErrorCode> = apiError;
