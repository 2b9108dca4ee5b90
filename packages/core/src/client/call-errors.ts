/**
 * The typed errors of a call that got no usable answer: aborted by the caller, timed out, no
 * HTTP response, a response the HTTP client refused, or a credential that could not authorize.
 * Messages describe what happened; whatever a fetcher or credential threw is redacted first.
 */
import type { SelectedScheme } from "../auth/bind-credentials.js";
import { PorticoError } from "../errors/portico-error.js";
import { excerpt, safeCause, type Redactor } from "../internal/redact.js";
import type { OperationPlan } from "./api-plan.js";

export function aborted(op: OperationPlan, signal: AbortSignal | undefined): PorticoError {
  return new PorticoError("ABORTED", `${op.key} was aborted by the caller's signal.`, { cause: signal?.reason });
}

/** A response `decide` chose not to read (cannot happen with today's rules; kept total). */
export function unreadable(op: OperationPlan, status: number): PorticoError {
  return new PorticoError("UNEXPECTED_RESPONSE", `${op.key} returned ${status}.`, { status });
}

/** Error codes (undici's) that mean the response itself is malformed: retrying will not help. */
const MALFORMED_RESPONSE = new Set(["UND_ERR_HEADERS_OVERFLOW", "UND_ERR_RES_EXCEEDED_MAX_SIZE", "HPE_HEADER_OVERFLOW", "UND_ERR_INFO"]);

/** Maps whatever a fetcher (or a body read) threw to a typed error. */
export function classifyThrown(op: OperationPlan, thrown: unknown, timedOut: boolean, signal: AbortSignal | undefined, redact: Redactor): PorticoError<string> {
  if (signal?.aborted) return aborted(op, signal);
  if (timedOut) return new PorticoError("TIMEOUT", `${op.key} timed out (no complete response within the per-attempt timeout).`);
  if (thrown instanceof PorticoError) return thrown as PorticoError<string>;
  const cause = (thrown as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const causeCode = typeof cause?.code === "string" ? cause.code : typeof (thrown as { code?: unknown })?.code === "string" ? String((thrown as { code: string }).code) : undefined;
  const description = describe(thrown, redact);
  if (causeCode !== undefined && MALFORMED_RESPONSE.has(causeCode)) {
    return new PorticoError("UNEXPECTED_RESPONSE", `${op.key} got a response the HTTP client could not accept (${causeCode}): ${description}.`, {
      cause: safeCause(thrown, redact),
      causeCode,
    });
  }
  return new PorticoError("NETWORK_ERROR", `${op.key} got no HTTP response: ${description}.`, {
    cause: safeCause(thrown, redact),
    ...(causeCode !== undefined ? { causeCode } : {}),
  });
}

/**
 * What a body read threw, after the response's status line and headers arrived: the typed error
 * of `classifyThrown`, saying that the response came and its body did not, with the status and
 * request id the call had.
 */
export function bodyFailure(
  op: OperationPlan,
  thrown: unknown,
  timedOut: boolean,
  signal: AbortSignal | undefined,
  redact: Redactor,
  response: { readonly status: number; readonly requestId: string | undefined },
): PorticoError<string> {
  const error = classifyThrown(op, thrown, timedOut, signal, redact);
  if (error.code === "ABORTED" || thrown instanceof PorticoError) return error;
  const answered = `${op.key} answered ${response.status}, but `;
  const message =
    error.code === "TIMEOUT"
      ? `${answered}its body was not read in full within the per-attempt timeout.`
      : error.code === "NETWORK_ERROR"
        ? `${answered}its body broke off: ${describe(thrown, redact)}.`
        : error.message;
  return new PorticoError(error.code, message, {
    ...error.details,
    status: response.status,
    ...(response.requestId !== undefined ? { requestId: response.requestId } : {}),
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
  });
}

/** A credential that could not produce an authorization: keep its typed error, else wrap it. */
export function authFailure(
  op: OperationPlan,
  thrown: unknown,
  timedOut: boolean,
  signal: AbortSignal | undefined,
  parts: readonly SelectedScheme[],
  redact: Redactor,
): PorticoError<string> {
  if (signal?.aborted) return aborted(op, signal);
  const fingerprints = parts.map((part) => part.credential.fingerprint).join(", ");
  if (timedOut) return new PorticoError("TIMEOUT", `${op.key} timed out while the credential ${fingerprints} was being authorized.`);
  if (thrown instanceof PorticoError) return thrown as PorticoError<string>;
  return new PorticoError("TOKEN_REFRESH_FAILED", `The credential ${fingerprints} could not authorize ${op.key}: ${describe(thrown, redact)}.`, {
    credential: fingerprints,
    cause: safeCause(thrown, redact),
  });
}

/** A thrown value's message (and its cause's), redacted and bounded. */
export function describe(thrown: unknown, redact: Redactor): string {
  if (!(thrown instanceof Error)) return excerpt(String(thrown), 200, redact);
  const cause = thrown.cause instanceof Error ? ` (${thrown.cause.message})` : "";
  return excerpt(`${thrown.message}${cause}`, 200, redact);
}
