import type { ApiError } from "./api-error.js";
import { ERROR_BRAND, type PorticoError } from "./portico-error.js";

function brandOf(value: unknown): unknown {
  return typeof value === "object" && value !== null ? (value as Record<symbol, unknown>)[ERROR_BRAND] : undefined;
}

/**
 * Whether `value` is an error portico produced (an SDK error or a declared API error), also when
 * it comes from another copy of `@portico/core`, where `instanceof PorticoError` is false.
 */
export function isPorticoError(value: unknown): value is PorticoError<string> {
  const brand = brandOf(value);
  return brand === "sdk" || brand === "api";
}

/**
 * Whether `value` is a declared API error: narrows a call's `error` to the spec's declared errors,
 * whose `body` then has the declared type per `status` and `code` (without it, `switch
 * (error.status)` leaves `body | undefined`, since an SDK error such as `UNEXPECTED_RESPONSE` can
 * carry any status). Works across copies of `@portico/core`.
 * @example
 * if (isApiError(error)) switch (error.status) { case 404: error.body; }
 */
export function isApiError<E>(value: E): value is ApiErrorOf<E> {
  return brandOf(value) === "api";
}

/** The declared API errors of a union, or `ApiError` itself for a value of unknown type. */
type ApiErrorOf<E> = [Extract<E, ApiError<unknown, string, number>>] extends [never] ? E & ApiError<unknown, string, number> : Extract<E, ApiError<unknown, string, number>>;
