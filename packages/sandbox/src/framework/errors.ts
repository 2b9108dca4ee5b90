/** Every error body of the five APIs: `{ code, message, requestId?, details? }`. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly requestId?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Builds an error body, leaving out absent optional fields. */
export function errorBody(
  code: string,
  message: string,
  extra: { readonly requestId?: string | undefined; readonly details?: Readonly<Record<string, unknown>> | undefined } = {},
): ErrorBody {
  return {
    code,
    message,
    ...(extra.requestId ? { requestId: extra.requestId } : {}),
    ...(extra.details ? { details: extra.details } : {}),
  };
}

/** A JSON `Response` carrying an error body. */
export function errorResponse(status: number, body: ErrorBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** Conventional error code for a status, used for injected faults and framework answers. */
export function defaultCodeForStatus(status: number): string {
  switch (status) {
    case 400:
      return "VALIDATION_ERROR";
    case 401:
      return "AUTHENTICATION_REQUIRED";
    case 402:
      return "INSUFFICIENT_CREDITS";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 408:
      return "REQUEST_TIMEOUT";
    case 409:
      return "CONFLICT";
    case 422:
      return "UNPROCESSABLE_ENTITY";
    case 429:
      return "RATE_LIMITED";
    case 500:
      return "INTERNAL_ERROR";
    case 502:
      return "BAD_GATEWAY";
    case 503:
      return "SERVICE_UNAVAILABLE";
    case 504:
      return "GATEWAY_TIMEOUT";
    default:
      return status >= 500 ? "INTERNAL_ERROR" : "ERROR";
  }
}
