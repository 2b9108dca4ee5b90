/**
 * Checks of what a call is given besides its typed params and body: the per-call options and the
 * headers it would send. A mistake is the caller's, typed `INVALID_REQUEST` and never sent (so
 * never retried as if the network had failed).
 */
import * as z from "zod/mini";
import { PorticoError } from "../errors/portico-error.js";
import { HEADER_NAME, isHeaderValue, MAX_TIMER_MS, numberWhere } from "../internal/option-schema.js";

/** The per-call option keys; a call that uses none of them is not parsed at all. */
const OPTION_KEYS = ["timeout", "maxRetries", "maxWaitMs", "idempotencyKey", "parseAs", "signal", "bodySerializer", "maxResponseBytes"] as const;

const OPTION_KEY_SET: ReadonlySet<string> = new Set(OPTION_KEYS);

let schema: ReturnType<typeof buildSchema> | undefined;

const buildSchema = () => {
  const opt = z.optional;
  const custom = <T>(ok: (v: unknown) => boolean, fix: string) => opt(z.custom<T>(ok, { error: fix }));
  const number = (ok: (v: number) => boolean, fix: string) => opt(numberWhere(ok, fix));
  return z.object({
    timeout: number((v) => v > 0 && v <= MAX_TIMER_MS, `must be a number of milliseconds > 0 and ≤ ${MAX_TIMER_MS}`),
    maxRetries: number((v) => Number.isSafeInteger(v) && v >= 0 && v <= 100, "must be a whole number from 0 to 100"),
    maxWaitMs: number((v) => Number.isSafeInteger(v) && v >= 0 && v <= MAX_TIMER_MS, `must be a whole number of milliseconds from 0 to ${MAX_TIMER_MS}`),
    maxResponseBytes: number((v) => Number.isSafeInteger(v) && v > 0, "must be a whole number of bytes > 0"),
    idempotencyKey: custom<string>(
      (v) => typeof v === "string" && v.trim().length > 0 && v.length <= 255 && isHeaderValue(v),
      "must be a non-empty key of at most 255 visible characters (e.g. a UUID); an empty key identifies nothing",
    ),
    parseAs: custom<string>((v) => PARSE_AS.includes(v as string), `must be one of ${PARSE_AS.map((p) => `"${p}"`).join(", ")}`),
    signal: custom<AbortSignal>((v) => typeof AbortSignal !== "undefined" && v instanceof AbortSignal, "must be an AbortSignal"),
    bodySerializer: custom<(body: unknown) => unknown>((v) => typeof v === "function", "must be a function"),
  });
};

const PARSE_AS = ["json", "text", "blob", "arrayBuffer", "stream"];

/** `INVALID_REQUEST` naming the first bad per-call option, or `undefined`. */
export function checkCallOptions(operation: string, options: object): PorticoError | undefined {
  let given = false;
  for (const key in options) if ((given = OPTION_KEY_SET.has(key))) break;
  if (!given) return undefined;
  const parsed = (schema ??= buildSchema()).safeParse(options);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const option = issue?.path.map(String).join(".") ?? "";
  return new PorticoError("INVALID_REQUEST", `${operation}: call option "${option}" ${issue?.message ?? "is invalid"}; nothing was sent.`, { option });
}

/** `INVALID_REQUEST` for the first header that HTTP cannot carry (the value is never quoted), or `undefined`. */
export function checkHeaders(operation: string, headers: Readonly<Record<string, string>>, source: string): PorticoError | undefined {
  for (const name of Object.keys(headers)) {
    if (!HEADER_NAME.test(name)) {
      return new PorticoError("INVALID_REQUEST", `${operation}: ${source} header name ${JSON.stringify(name.slice(0, 64))} is not a valid HTTP field name; nothing was sent.`, {
        header: name.slice(0, 64),
      });
    }
    if (!isHeaderValue(headers[name] as string)) {
      return new PorticoError(
        "INVALID_REQUEST",
        `${operation}: the value of ${source} header "${name}" has a line break, NUL or a character outside Latin-1, which HTTP cannot carry; encode it (e.g. encodeURIComponent) first. Nothing was sent.`,
        { header: name },
      );
    }
  }
  return undefined;
}
