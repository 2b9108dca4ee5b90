/**
 * Status-derived error codes: the `code` of a declared error response whose body has no code-like
 * enum. They are the RFC 9110 reason phrases in UPPER_SNAKE (`404` → `NOT_FOUND`), except `429`,
 * which is `RATE_LIMITED` like the SDK's own code; a status without a registered phrase is
 * `HTTP_<status>` (`418` → `HTTP_418`). Stable across releases.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15 (status codes and reason phrases)
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4 (429, 428, 431, 511)
 */
export const StatusErrorCode = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  402: "PAYMENT_REQUIRED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  406: "NOT_ACCEPTABLE",
  407: "PROXY_AUTHENTICATION_REQUIRED",
  408: "REQUEST_TIMEOUT",
  409: "CONFLICT",
  410: "GONE",
  411: "LENGTH_REQUIRED",
  412: "PRECONDITION_FAILED",
  413: "CONTENT_TOO_LARGE",
  414: "URI_TOO_LONG",
  415: "UNSUPPORTED_MEDIA_TYPE",
  416: "RANGE_NOT_SATISFIABLE",
  417: "EXPECTATION_FAILED",
  421: "MISDIRECTED_REQUEST",
  422: "UNPROCESSABLE_CONTENT",
  423: "LOCKED",
  424: "FAILED_DEPENDENCY",
  425: "TOO_EARLY",
  426: "UPGRADE_REQUIRED",
  428: "PRECONDITION_REQUIRED",
  429: "RATE_LIMITED",
  431: "REQUEST_HEADER_FIELDS_TOO_LARGE",
  451: "UNAVAILABLE_FOR_LEGAL_REASONS",
  500: "INTERNAL_SERVER_ERROR",
  501: "NOT_IMPLEMENTED",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
  505: "HTTP_VERSION_NOT_SUPPORTED",
  507: "INSUFFICIENT_STORAGE",
  508: "LOOP_DETECTED",
  511: "NETWORK_AUTHENTICATION_REQUIRED",
} as const;

type Named = typeof StatusErrorCode;

/** Every status-derived code: the named ones and `HTTP_<status>`. */
type AnyStatusErrorCode = Named[keyof Named] | `HTTP_${number}`;

/**
 * The status-derived code of a declared error key, at the type level: `StatusErrorCode<404>` is
 * `"NOT_FOUND"`, `StatusErrorCode<418>` is `"HTTP_418"`; a range (`"4XX"`), `"default"` or plain
 * `number` is any status-derived code.
 */
export type StatusErrorCode<Status extends number | string = number> = Status extends keyof Named
  ? Named[Status]
  : Status extends number
    ? number extends Status
      ? AnyStatusErrorCode
      : `HTTP_${Status}`
    : Status extends `${infer N extends number}`
      ? N extends keyof Named
        ? Named[N]
        : `HTTP_${N}`
      : AnyStatusErrorCode;

/**
 * The status-derived code of an HTTP status.
 *
 * @example statusErrorCode(404) // "NOT_FOUND"
 * @example statusErrorCode(418) // "HTTP_418"
 */
export function statusErrorCode<const Status extends number>(status: Status): StatusErrorCode<Status> {
  const named = (StatusErrorCode as Readonly<Record<number, string>>)[status];
  return (named ?? `HTTP_${status}`) as StatusErrorCode<Status>;
}
