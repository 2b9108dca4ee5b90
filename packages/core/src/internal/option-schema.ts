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

/** An HTTP field name (RFC 9110 §5.1: a token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A field value fetch can send: Latin-1, no CR, LF or NUL (RFC 9110 §5.5). */
export function isHeaderValue(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\r\n\0]|[^\u0000-\u00ff]/.test(value);
}

type Issue = z.core.$ZodIssue;

/** For a failed union, the issue of the branch that got furthest (its path prefixed). */
export function mostSpecific(issue: Issue | undefined): Issue | undefined {
  if (issue?.code !== "invalid_union" || issue.errors.length === 0) return issue;
  let best: Issue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first && first.path.length > 0 && (!best || first.path.length > best.path.length)) best = first;
  }
  return best ? mostSpecific({ ...best, path: [...issue.path, ...best.path] } as Issue) : issue;
}

/** The dotted path and message of the first issue of a failed parse. */
export function firstIssue(error: z.core.$ZodError): { readonly path: string; readonly message: string; readonly issue: Issue | undefined } {
  const issue = mostSpecific(error.issues[0]);
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
