import { createQuerySerializer, removeTrailingSlash } from "openapi-fetch";
import * as z from "zod/mini";
import type { ClaimNames, Credential } from "../auth/credential.js";
import { resolveClaimNames } from "../tenants/tenant-claim.js";
import { environmentOf } from "../auth/environment.js";
import { checkCredentials } from "../auth/request-safety.js";
import { PorticoError } from "../errors/portico-error.js";
import { IDEMPOTENCY_HEADER } from "../resilience/idempotency.js";
import { DEFAULT_RETRY, type RetryPolicy } from "../resilience/retry-policy.js";
import type { ApiDescriptor, ServerEnvironment } from "../spec/descriptor.js";
import type { ClientHooks, ClientOptions, Fetcher } from "./types.js";

/** Everything a client needs, resolved once at construction. */
export interface ClientConfig {
  readonly baseUrl: string;
  /** Deployment `baseUrl` points at (from the descriptor's servers), for the environment rail. */
  readonly environment: ServerEnvironment | undefined;
  readonly fetcher: Fetcher | undefined;
  readonly credentials: readonly Credential[];
  /** Lower-cased default headers, or undefined. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly retry: RetryPolicy;
  readonly timeout: number;
  readonly hooks: ClientHooks | undefined;
  readonly throwOnError: boolean;
  readonly creditGuard: boolean;
  readonly checkScopes: boolean;
  /** Lower-cased idempotency header name. */
  readonly idempotencyHeader: string;
  readonly querySerializer: (query: unknown) => string;
  /** Full JWT claim names for tenant and permissions (descriptor's `claims` under the configured namespace). */
  readonly claims: ClaimNames | undefined;
}

/** Per-attempt timeout when none is given. */
export const DEFAULT_TIMEOUT_MS = 30_000;

const defaultQuerySerializer = /*#__PURE__*/ createQuerySerializer();

const fn = (fix: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { error: fix });
const optionalFn = (fix: string) => z.optional(fn(fix));
// Number rules as one refinement each: zod/mini's per-rule checks (int, minimum, …) cost bytes in every browser bundle.
const numberWhere = (ok: (v: number) => boolean, fix: string) => z.number({ error: fix }).check(z.refine(ok, { error: fix }));
const nonNegativeInt = (fix: string) => numberWhere((v) => Number.isSafeInteger(v) && v >= 0, fix);
const positiveMs = (fix: string) => numberWhere((v) => v > 0 && v <= 2_147_483_647, fix);

// Checks as z.custom where zod/mini's own schema (boolean, literal) would add a class to every bundle.
const flag = () => z.custom<boolean>((v) => typeof v === "boolean", { error: "must be true or false" });

const isCredential = (v: unknown): boolean =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as Credential).kind === "string" &&
  typeof (v as Credential).authorize === "function";

const AUTH_FIX = "must be a credential (e.g. from apiKey() or bearer()) or an array of credentials";
const HEADER_FIX = "must be an object of header name to string value";

/**
 * The options schema, built on first use (not at module load) so a bundle that never constructs a
 * client does not keep zod's schema code.
 */
let optionsSchema: ReturnType<typeof buildOptionsSchema> | undefined;

const buildOptionsSchema = () =>
  z.strictObject({
    baseUrl: z.optional(
      z.string({ error: "must be an absolute http(s) URL string, e.g. \"https://api.example.com\"" }).check(
        z.refine((v) => /^https?:\/\/[^/]/i.test(v) && canParseUrl(v), {
          error: "must be an absolute http(s) URL, e.g. \"https://api.example.com\"",
        }),
      ),
    ),
    fetcher: optionalFn("must be a function (url: string, init) => Promise<Response>"),
    auth: z.optional(
      z.custom<Credential | readonly Credential[]>(
        (v) => isCredential(v) || (Array.isArray(v) && v.every(isCredential)),
        { error: AUTH_FIX },
      ),
    ),
    // A plain object whose every key holds a string (catchall) rather than z.record: the object
    // schema is in every bundle already, zod's record schema would add ~0.6 kB min+gzip. Plain
    // objects only, as z.record: a `Headers` instance is refused as a whole.
    headers: z.optional(
      z.pipe(
        z.custom<object>((v) => typeof v === "object" && v !== null && isPlainObject(v), { error: HEADER_FIX }),
        z.catchall(z.object({}), z.string({ error: HEADER_FIX })),
      ),
    ),
    retry: z.optional(
      z.union(
        [
          z.custom<false>((v) => v === false),
          z.strictObject(
            {
              maxRetries: z.optional(nonNegativeInt("must be a whole number ≥ 0 (0 disables retries)")),
              baseDelayMs: z.optional(nonNegativeInt("must be a whole number of milliseconds ≥ 0")),
              maxDelayMs: z.optional(nonNegativeInt("must be a whole number of milliseconds ≥ 0")),
              maxRetryAfterMs: z.optional(nonNegativeInt("must be a whole number of milliseconds ≥ 0")),
            },
            { error: "has an unknown key; allowed: maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs" },
          ),
        ],
        { error: "must be false or { maxRetries?, baseDelayMs?, maxDelayMs?, maxRetryAfterMs? }" },
      ),
    ),
    timeout: z.optional(positiveMs("must be a number of milliseconds > 0")),
    hooks: z.optional(
      z.strictObject(
        {
          onRequest: optionalFn("must be a function"),
          onResponse: optionalFn("must be a function"),
          onRetry: optionalFn("must be a function"),
          onError: optionalFn("must be a function"),
          onCredits: optionalFn("must be a function"),
          onRateLimit: optionalFn("must be a function"),
        },
        { error: "has an unknown hook; allowed: onRequest, onResponse, onRetry, onError, onCredits, onRateLimit" },
      ),
    ),
    throwOnError: z.optional(flag()),
    creditGuard: z.optional(flag()),
    checkScopes: z.optional(flag()),
    idempotency: z.optional(
      z.strictObject(
        {
          header: z.optional(
            z.string({ error: "must be a header name" }).check(
              z.refine((v) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v), { error: "must be a valid header name, e.g. \"Idempotency-Key\"" }),
            ),
          ),
        },
        { error: "has an unknown key; allowed: header" },
      ),
    ),
    querySerializer: z.optional(z.object({}, { error: "must be openapi-fetch query serializer options" })),
    claimsNamespace: z.optional(
      z.string({ error: "must be the claim namespace prefix, e.g. \"https://atrope.dev/claims/\"" }).check(
        z.refine((v) => v.length > 0, { error: "must not be empty, e.g. \"https://atrope.dev/claims/\"" }),
      ),
    ),
  });

/**
 * Validates client options once and resolves defaults. Throws `PorticoError("INVALID_OPTIONS")`
 * naming the option and the fix, or the auth layer's construction-time refusal
 * (`INSECURE_TRANSPORT`, `ENVIRONMENT_MISMATCH`, `INVALID_TOKEN_FORMAT`).
 */
export function resolveOptions(descriptor: ApiDescriptor, options: ClientOptions): ClientConfig {
  const parsed = (optionsSchema ??= buildOptionsSchema()).safeParse(options ?? {});
  if (!parsed.success) {
    const issue = mostSpecific(parsed.error.issues[0]);
    const path = issue?.path.map(String).join(".") ?? "";
    const unknownKeys = issue?.code === "unrecognized_keys" ? issue.keys.join(", ") : undefined;
    const message = unknownKeys
      ? `Unknown client option${path ? ` in "${path}"` : ""}: ${unknownKeys}. Check the spelling (options are case-sensitive, e.g. "baseUrl").`
      : `Invalid client option "${path}" for the ${descriptor.name} API: ${issue?.message ?? "invalid value"}.`;
    throw new PorticoError("INVALID_OPTIONS", message, { option: path });
  }
  const baseUrl = options.baseUrl ?? descriptor.servers[0]?.url;
  if (!baseUrl) {
    throw new PorticoError(
      "INVALID_OPTIONS",
      `Missing client option "baseUrl": the ${descriptor.name} spec declares no server, so pass baseUrl, e.g. "https://api.example.com".`,
      { option: "baseUrl" },
    );
  }
  const auth = options.auth;
  const credentials: readonly Credential[] = auth === undefined ? [] : isCredential(auth) ? [auth as Credential] : (auth as readonly Credential[]);
  // Construction-time safety rails (transport, environment, format) of the auth layer.
  if (credentials.length > 0) {
    const problem = checkCredentials(descriptor, baseUrl, credentials);
    if (problem) throw problem;
  }
  const retry = options.retry === false ? { ...DEFAULT_RETRY, maxRetries: 0 } : options.retry ? { ...DEFAULT_RETRY, ...definedOnly(options.retry) } : DEFAULT_RETRY;
  return {
    baseUrl: removeTrailingSlash(baseUrl),
    environment: environmentOf(baseUrl, descriptor.servers),
    fetcher: options.fetcher,
    credentials,
    headers: options.headers ? lowerCaseKeys(options.headers) : undefined,
    retry,
    timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
    hooks: options.hooks && Object.values(options.hooks).some(Boolean) ? options.hooks : undefined,
    throwOnError: options.throwOnError === true,
    creditGuard: options.creditGuard === true,
    checkScopes: options.checkScopes === true,
    idempotencyHeader: options.idempotency?.header?.toLowerCase() ?? IDEMPOTENCY_HEADER,
    querySerializer: (options.querySerializer ? createQuerySerializer(options.querySerializer) : defaultQuerySerializer) as (
      query: unknown,
    ) => string,
    claims: resolveClaimNames(descriptor.claims, options.claimsNamespace),
  };
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) out[name.toLowerCase()] = headers[name] as string;
  return out;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** A plain object (of any realm): its prototype is null or has no prototype itself. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function canParseUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

type Issue = z.core.$ZodIssue;

/** For a failed union, the issue of the branch that got furthest (its path prefixed). */
function mostSpecific(issue: Issue | undefined): Issue | undefined {
  if (issue?.code !== "invalid_union" || issue.errors.length === 0) return issue;
  let best: Issue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first && first.path.length > 0 && (!best || first.path.length > best.path.length)) best = first;
  }
  return best ? mostSpecific({ ...best, path: [...issue.path, ...best.path] } as Issue) : issue;
}
