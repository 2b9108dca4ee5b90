/**
 * The logger: one line per event of a call, at the level the event deserves, through the
 * allow-list redactor (`log-redaction.ts`). A client whose level is `"off"` has no log observer at
 * all (and never loads this module), so logging off costs nothing.
 *
 * - `error`: a call that ended in an error other than a declared 4xx answer;
 * - `warn`: a call that ended in a 4xx answer, a retry, a failed token request;
 * - `info`: a call that succeeded, a wait for a spent rate limit or credit budget;
 * - `debug`: every attempt's request and response (headers, body shape, credits, rate limit) and
 *   every token request.
 *
 * Errors are logged by code, status and request id, never by message: a message may quote the
 * server's text, which the allow-list has not vetted.
 */
import type { PorticoError } from "../errors/portico-error.js";
import { loggableBody, loggableHeaders, loggableUrl } from "./log-redaction.js";
import { LOG_LEVELS, type Logger, type LogLevel } from "./log-level.js";
import type { AttemptWatch, CallObserver, CallWatch } from "./observer.js";

const PREFIX = "[portico]";

/** The log observer of one client (whose level is not `"off"`). */
export function logObserver(logger: Logger, level: LogLevel): CallObserver {
  const rank = LOG_LEVELS.indexOf(level);
  const debug = rank >= 4;
  const info = rank >= 3;
  const warn = rank >= 2;
  return {
    startCall(call): CallWatch {
      const url = loggableUrl(call.url, call.redact);
      const what = `${call.method} ${url}`;
      const key = call.idempotencyKey === undefined ? {} : { idempotencyKey: call.idempotencyKey };
      return {
        startAttempt(attempt, headers): AttemptWatch {
          if (debug) {
            logger.debug(`${PREFIX} → ${what} (attempt ${attempt})`, {
              operation: call.operation,
              attempt,
              ...key,
              headers: loggableHeaders(headers, call.redact),
              ...(call.body !== undefined ? { body: loggableBody(call.body, call.redact) } : {}),
            });
          }
          return {
            tokenRequest(request) {
              if (debug) logger.debug(`${PREFIX} token request (${request.reason}) for ${request.credential}`);
              return {
                end(result) {
                  if (result.error !== undefined) {
                    if (warn) logger.warn(`${PREFIX} token request for ${request.credential} failed: ${result.error.code}`, { reason: request.reason });
                  } else if (debug) {
                    const expires = result.expiresAt === undefined ? "" : `, expires ${new Date(result.expiresAt).toISOString()}`;
                    logger.debug(`${PREFIX} token ready for ${request.credential}${result.fromCache ? " (from the shared cache)" : ""}${expires}`);
                  }
                },
              };
            },
            end(result) {
              if (debug && result.status !== undefined) {
                logger.debug(`${PREFIX} ← ${result.status} ${what} (attempt ${attempt})`, {
                  status: result.status,
                  ...(result.requestId !== undefined ? { requestId: result.requestId } : {}),
                  ...(result.credits !== undefined ? { credits: result.credits } : {}),
                  ...(result.rateLimit !== undefined ? { rateLimit: result.rateLimit } : {}),
                  ...(result.headers !== undefined ? { headers: loggableHeaders(result.headers, call.redact) } : {}),
                });
              }
              if (warn && result.retry !== undefined) {
                const cause = result.status !== undefined ? `${result.status}` : (result.error?.code ?? "a failure");
                const source = result.retry.source === "retry-after" ? "as Retry-After asked" : "backoff";
                logger.warn(`${PREFIX} retrying ${what} in ${result.retry.delayMs} ms (${source}) after ${cause}; attempt ${attempt + 1} next`, { attempt, delayMs: result.retry.delayMs, ...key });
              }
              if (debug && result.replay === true) logger.debug(`${PREFIX} ${what}: 401, replaying once with a refreshed credential`);
            },
          };
        },
        paced(delayMs, reason) {
          if (info) logger.info(`${PREFIX} ${what} waits ${delayMs} ms: the ${reason === "credits" ? "credit budget" : "rate limit"} is spent until then`, { delayMs, reason });
        },
        end({ error, meta }) {
          const facts = { operation: call.operation, attempts: meta.attempts, durationMs: meta.durationMs, ...(meta.status !== undefined ? { status: meta.status } : {}), ...(meta.requestId !== undefined ? { requestId: meta.requestId } : {}), ...key };
          if (error === undefined) {
            if (info) logger.info(`${PREFIX} ${what} → ${meta.status ?? "ok"} in ${meta.durationMs} ms${meta.attempts > 1 ? ` (${meta.attempts} attempts)` : ""}`, facts);
            return;
          }
          const line = `${PREFIX} ${what} failed: ${error.code}${meta.status !== undefined ? ` (status ${meta.status})` : ""}`;
          if (isClientAnswer(error)) {
            if (warn) logger.warn(line, facts);
          } else logger.error(line, facts);
        },
      };
    },
  };
}

/** A declared 4xx answer: the API refused the call, the client worked. */
function isClientAnswer(error: PorticoError<string>): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" && status >= 400 && status < 500;
}
