/**
 * The zod/mini building blocks every options schema of core is made of: the client's and the
 * credentials'. Each rule is one `z.custom` test with the fix as its message (zod/mini's number
 * schema and per-rule checks cost bytes in every browser bundle); schemas are built from these on first use.
 */
import * as z from "zod/mini";

/** Longest delay a timer takes (2^31−1 ms, about 24.8 days): a larger one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A number that passes `ok`; anything else (NaN, Infinity, a string) fails with `fix`. */
export const numberWhere = (ok: (v: number) => boolean, fix: string) => z.custom<number>((v) => typeof v === "number" && ok(v), { error: fix });

/** A function; anything else fails with `fix`. */
export const fn = (fix: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { error: fix });

/** A boolean, as z.custom: zod/mini's boolean schema would add a class to every bundle. */
export const flag = () => z.custom<boolean>((v) => typeof v === "boolean", { error: "must be true or false" });

/** A string of at least one character. */
export const nonEmptyString = (fix = "must be a non-empty string") => z.custom<string>((v) => typeof v === "string" && v.length > 0, { error: fix });

/** A plain object (of any realm): its prototype is null or has no prototype itself. */
export function isPlainObject(value: unknown): value is object {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * A plain object whose every value passes `ok`: one custom schema and one check, in place of zod's
 * pipe and record schemas. A value that is not a plain object fails with `fix`; the first entry
 * whose value fails, with `valueFix` and the entry's name in the path.
 * @example entriesWhere((v) => typeof v === "string", "must be an object of parameter name to string", "must be a string")
 */
export const entriesWhere = (ok: (value: unknown) => boolean, fix: string, valueFix: string) =>
  z.custom<Record<string, unknown>>(isPlainObject, { error: fix }).check(
    z.check<Record<string, unknown>>((ctx) => {
      if (!isPlainObject(ctx.value)) return;
      for (const [key, value] of Object.entries(ctx.value)) {
        if (ok(value)) continue;
        ctx.issues.push({ code: "custom", input: value, path: [key], message: valueFix });
        return;
      }
    }),
  );

/** An HTTP field name (RFC 9110 §5.1: a token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A field value fetch can send: Latin-1, no CR, LF or NUL (RFC 9110 §5.5). */
export function isHeaderValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\r\n\0]|[^\u0000-\u00ff]/.test(value);
}

type Issue = z.core.$ZodIssue;

/**
 * The dotted path and message of the first issue of a failed parse. (No options schema is a
 * union, so the first issue is the one to report as it is.)
 */
export function firstIssue(error: z.core.$ZodError): { readonly path: string; readonly message: string; readonly issue: Issue | undefined } {
  const issue = error.issues[0];
  return { path: issue?.path.map(String).join(".") ?? "", message: issue?.message ?? "is invalid", issue };
}

/** Whether `value` parses as an absolute URL. */
export function canParseUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
