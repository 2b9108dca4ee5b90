import { createQuerySerializer, removeTrailingSlash } from "openapi-fetch";
import * as z from "zod/mini";
import { canParseUrl, firstIssue, flag, fn, HEADER_NAME, isHeaderValue, isPlainObject, MAX_TIMER_MS, numberWhere } from "../internal/option-schema.js";
import { allCredentials, bindCredentials, type BoundCredentials } from "../auth/bind-credentials.js";
import type { ClaimNames, Credential } from "../auth/credential.js";
import { resolveClaimNames } from "../tenants/tenant-claim.js";
import { environmentOf } from "../auth/environment.js";
import { checkCredentials } from "../auth/request-safety.js";
import { PorticoError } from "../errors/portico-error.js";
import { IDEMPOTENCY_HEADER } from "../resilience/idempotency.js";
import { DEFAULT_RETRY, type RetryPolicy } from "../resilience/retry-policy.js";
import type { ServerEnvironment } from "../spec/descriptor.js";
import type { ApiPlan } from "./api-plan.js";
import { lowerCaseKeys } from "./build-request.js";
import { firstServerUrl } from "./server-url.js";
import { credentialOptionHint } from "./misplaced-options.js";
import type { Stages } from "./stage.js";
import type { ClientHooks, ClientOptions, Fetcher } from "./types.js";
import { sleep } from "../resilience/sleep.js";
import { systemClock, type Clock } from "../internal/clock.js";
import { LOG_LEVELS, type Logger, type LogLevel } from "../observe/log-level.js";
import type { LoggingSettings } from "../observe/load-logging.js";
import { combineObservers, type CallObserver } from "../observe/observer.js";
import type { PaceStore } from "../pacing/pace-store.js";
import { DEFAULT_MAX_WAIT_MS, processPaceStore, type PacingSettings } from "../pacing/pacing.js";
import { DEFAULT_CIRCUIT_BREAKER, DEFAULT_RETRY_BUDGET, type HealthSettings } from "../resilience/origin-health.js";

/** Where a client's time comes from: epoch milliseconds, and waiting (false when `signal` aborted first). */
export interface CallClock extends Clock {
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
}

/** Everything a client needs, resolved once at construction. */
export interface ClientConfig {
  readonly baseUrl: string;
  /** Deployment `baseUrl` points at (from the descriptor's servers), for the environment rail. */
  readonly environment: ServerEnvironment | undefined;
  readonly fetcher: Fetcher | undefined;
  /** The credentials as bound to the spec's schemes, or undefined without `auth`. */
  readonly auth: BoundCredentials | undefined;
  /** Every configured credential (for fingerprints). */
  readonly credentials: readonly Credential[];
  /** Lower-cased default headers, or undefined. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly retry: RetryPolicy;
  readonly timeout: number;
  readonly maxResponseBytes: number;
  readonly hooks: ClientHooks | undefined;
  readonly throwOnError: boolean;
  readonly creditGuard: boolean;
  readonly checkScopes: boolean;
  /** Lower-cased idempotency header name. */
  readonly idempotencyHeader: string;
  readonly querySerializer: (query: unknown) => string;
  /** Full JWT claim names for tenant and permissions (descriptor's `claims` under the configured namespace). */
  readonly claims: ClaimNames | undefined;
  readonly clock: CallClock;
  /** Observers, budgets, breaker and pacing: one object shared by every client left at the defaults. */
  readonly controls: CallControls;
}

/** What watches and paces a client's calls, resolved once. */
export interface CallControls {
  /** Tracers, or undefined when none is given or the client logs (the call path then skips every notification). */
  readonly observer: CallObserver | undefined;
  /** The logger, its level and the tracers, when the level is not `"off"` (loaded on the first call). */
  readonly logging: LoggingSettings | undefined;
  readonly health: HealthSettings;
  /** Undefined with `pacing: false`. */
  readonly pacing: PacingSettings | undefined;
  readonly maxCreditsPerMinute: number | undefined;
}

/** Per-attempt timeout when none is given. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Largest response body read into memory when none is given. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const defaultQuerySerializer = /*#__PURE__*/ createQuerySerializer();

const optionalFn = (fix: string) => z.optional(fn(fix));
const positiveMs = (fix: string) => numberWhere((v) => v > 0 && v <= MAX_TIMER_MS, fix);
/** A delay a timer can wait: a larger one overflows and fires at once (retries in a burst). */
const delayMs = () => numberWhere((v) => Number.isSafeInteger(v) && v >= 0 && v <= MAX_TIMER_MS, `must be a whole number of milliseconds from 0 to ${MAX_TIMER_MS}`);

const isCredential = (v: unknown): boolean =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as Credential).kind === "string" &&
  typeof (v as Credential).authorize === "function";

const AUTH_FIX = "must be a credential (e.g. apiKey(\"…\") or bearerToken(\"…\")), a list of credentials, or credentials by scheme name ({ schemeName: credential })";
const HEADER_FIX = "must be an object of header name to string value";
const HEADER_VALUE_FIX = "must be a string HTTP can carry (Latin-1, no line break or NUL); encode it first, e.g. with encodeURIComponent";
/**
 * The options schema, built on first use (not at module load) so a bundle that never constructs a
 * client does not keep zod's schema code.
 */
let optionsSchema: ReturnType<typeof buildOptionsSchema> | undefined;

const buildOptionsSchema = () => {
  /** The first header name that is not an HTTP token, as an issue on that name. */
  const headerNames = z.check<object>((ctx) => {
    for (const name of Object.keys(ctx.value)) {
      if (HEADER_NAME.test(name)) continue;
      ctx.issues.push({ code: "custom", input: ctx.value, path: [name.slice(0, 64)], message: "is not a valid HTTP header name (letters, digits and !#$%&'*+.^_`|~- only)" });
      return;
    }
  });
  return z.strictObject({
    baseUrl: z.optional(
      z.string({ error: "must be an absolute http(s) URL string, e.g. \"https://api.example.com\"" }).check(
        z.refine((v) => /^https?:\/\/[^/]/i.test(v) && canParseUrl(v), {
          error: "must be an absolute http(s) URL, e.g. \"https://api.example.com\"",
        }),
      ),
    ),
    fetcher: optionalFn("must be a function (url: string, init) => Promise<Response>"),
    auth: z.optional(
      z.custom<unknown>(
        (v) =>
          isCredential(v) ||
          (Array.isArray(v) && v.every(isCredential)) ||
          (typeof v === "object" && v !== null && !Array.isArray(v) && isPlainObject(v) && Object.values(v).every((c) => c === undefined || isCredential(c))),
        { error: AUTH_FIX },
      ),
    ),
    serverVariables: z.optional(
      z.pipe(
        z.custom<object>((v) => typeof v === "object" && v !== null && isPlainObject(v), { error: "must be an object of variable name to string value" }),
        z.catchall(z.object({}), z.string({ error: "must be a string" })),
      ),
    ),
    // A plain object whose every key holds a string (catchall) rather than z.record: the object
    // schema is in every bundle already, zod's record schema would add ~0.6 kB min+gzip. Plain
    // objects only, as z.record: a `Headers` instance is refused as a whole.
    headers: z.optional(
      z.pipe(
        z.custom<object>((v) => typeof v === "object" && v !== null && isPlainObject(v), { error: HEADER_FIX }),
        z.catchall(z.object({}), z.string({ error: HEADER_FIX }).check(z.refine(isHeaderValue, { error: HEADER_VALUE_FIX }))).check(headerNames),
      ),
    ),
    retry: z.optional(
      z.union(
        [
          z.custom<false>((v) => v === false),
          z.strictObject(
            {
              maxRetries: z.optional(numberWhere((v) => Number.isSafeInteger(v) && v >= 0 && v <= 100, "must be a whole number from 0 to 100 (0 disables retries)")),
              baseDelayMs: z.optional(delayMs()),
              maxDelayMs: z.optional(delayMs()),
              maxRetryAfterMs: z.optional(delayMs()),
            },
            { error: "has an unknown key; allowed: maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs" },
          ),
        ],
        { error: "must be false or { maxRetries?, baseDelayMs?, maxDelayMs?, maxRetryAfterMs? }" },
      ),
    ),
    timeout: z.optional(positiveMs(`must be a number of milliseconds > 0 and ≤ ${MAX_TIMER_MS}`)),
    maxResponseBytes: z.optional(numberWhere((v) => Number.isSafeInteger(v) && v > 0, "must be a whole number of bytes > 0")),
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
              z.refine((v) => HEADER_NAME.test(v), { error: "must be a valid header name, e.g. \"Idempotency-Key\"" }),
            ),
          ),
        },
        { error: "has an unknown key; allowed: header" },
      ),
    ),
    querySerializer: z.optional(z.object({}, { error: "must be openapi-fetch query serializer options" })),
    clock: z.optional(
      z.custom<unknown>(
        (v) =>
          typeof v === "object" &&
          v !== null &&
          typeof (v as Clock).now === "function" &&
          ((v as Partial<CallClock>).sleep === undefined || typeof (v as Partial<CallClock>).sleep === "function"),
        { error: "must be { now(): number, sleep?(ms, signal): Promise<boolean> } (epoch milliseconds)" },
      ),
    ),
    logger: z.optional(
      z.custom<Logger>((v) => typeof v === "object" && v !== null && LOGGER_METHODS.every((m) => typeof (v as unknown as Record<string, unknown>)[m] === "function"), {
        error: "must be a console-like object with error, warn, info and debug methods (console, pino, winston, ...)",
      }),
    ),
    logLevel: z.optional(z.custom<LogLevel>((v) => LOG_LEVELS.includes(v as LogLevel), { error: LOG_LEVEL_FIX })),
    telemetry: z.optional(
      z.custom<unknown>((v) => isObserver(v) || (Array.isArray(v) && v.every(isObserver)), {
        error: "must be an observer such as openTelemetry() from @portico/core/opentelemetry (an object with startCall), or a list of them",
      }),
    ),
    retryBudget: z.optional(
      z.union(
        [
          z.custom<false>((v) => v === false),
          z.strictObject(
            {
              maxTokens: z.optional(numberWhere((v) => Number.isSafeInteger(v) && v >= 1 && v <= 1000, "must be a whole number from 1 to 1000")),
              tokenRatio: z.optional(numberWhere((v) => v > 0 && v <= 1, "must be a number > 0 and ≤ 1")),
            },
            { error: "has an unknown key; allowed: maxTokens, tokenRatio" },
          ),
        ],
        { error: "must be false or { maxTokens?, tokenRatio? }" },
      ),
    ),
    circuitBreaker: z.optional(
      z.union(
        [
          z.custom<false>((v) => v === false),
          z.strictObject(
            {
              failureThreshold: z.optional(numberWhere((v) => Number.isSafeInteger(v) && v >= 1 && v <= 10_000, "must be a whole number from 1 to 10000")),
              cooldownMs: z.optional(positiveMs(`must be a number of milliseconds > 0 and ≤ ${MAX_TIMER_MS}`)),
            },
            { error: "has an unknown key; allowed: failureThreshold, cooldownMs" },
          ),
        ],
        { error: "must be false or { failureThreshold?, cooldownMs? }" },
      ),
    ),
    pacing: z.optional(
      z.union(
        [
          z.custom<false>((v) => v === false),
          z.strictObject(
            {
              maxWaitMs: z.optional(delayMs()),
              key: z.optional(
                z.string({ error: "must be a string naming whose budget the client spends, e.g. the tenant id" }).check(
                  z.refine((v) => v.length > 0 && v.length <= 256, { error: "must be 1 to 256 characters, e.g. the tenant id" }),
                ),
              ),
              store: z.optional(
                z.custom<PaceStore>((v) => typeof v === "object" && v !== null && ["reserve", "record", "spend"].every((m) => typeof (v as unknown as Record<string, unknown>)[m] === "function"), {
                  error: "must be a pace store ({ reserve, record, spend }), e.g. createRedisPaceStore(redis) from @portico/node",
                }),
              ),
            },
            { error: "has an unknown key; allowed: maxWaitMs, store, key" },
          ),
        ],
        { error: "must be false or { maxWaitMs?, store?, key? }" },
      ),
    ),
    maxCreditsPerMinute: z.optional(numberWhere((v) => v > 0 && Number.isFinite(v), "must be a number of credits > 0")),
    claimsNamespace: z.optional(
      z.string({ error: "must be the claim namespace prefix, e.g. \"https://atrope.dev/claims/\"" }).check(
        z.refine((v) => v.length > 0, { error: "must not be empty, e.g. \"https://atrope.dev/claims/\"" }),
      ),
    ),
  });
};

/**
 * Validates client options once and resolves defaults. Throws `PorticoError("INVALID_OPTIONS")`
 * naming the option and the fix, or the auth layer's construction-time refusal
 * (`INSECURE_TRANSPORT`, `ENVIRONMENT_MISMATCH`, `INVALID_TOKEN_FORMAT`).
 */
export function resolveOptions(plan: ApiPlan, stages: Stages, options: ClientOptions): ClientConfig {
  const descriptor = plan.descriptor;
  const parsed = (optionsSchema ??= buildOptionsSchema()).safeParse(options ?? {});
  if (!parsed.success) {
    const { issue, path, message: fix } = firstIssue(parsed.error);
    const unknownKeys = issue?.code === "unrecognized_keys" ? issue.keys.join(", ") : undefined;
    // Token settings and hooks given to the client: say they go on the credential.
    const misplaced = issue?.code === "unrecognized_keys" ? credentialOptionHint(path, issue.keys) : undefined;
    const spelling = misplaced?.all ? "" : ' Check the spelling (options are case-sensitive, e.g. "baseUrl").';
    const message = unknownKeys
      ? `Unknown client option${path ? ` in "${path}"` : ""}: ${unknownKeys}.${spelling}${misplaced ? ` ${misplaced.hint}` : ""}`
      : `Invalid client option "${path}" for the ${descriptor.name} API: ${fix}.`;
    throw new PorticoError("INVALID_OPTIONS", message, { option: path });
  }
  const unused = optionWithoutStage(options, stages);
  if (unused !== undefined) {
    throw new PorticoError(
      "INVALID_OPTIONS",
      `Client option "${unused}" has no effect on the ${descriptor.name} client: its spec declares nothing that option acts on (credit headers, rate-limit headers, scopes or server variables), so the generated client leaves that part out. Remove the option, or declare it in the spec and regenerate.`,
      { option: unused },
    );
  }
  const baseUrl = options.baseUrl ?? (stages.serverUrl ?? firstServerUrl)(descriptor.name, descriptor.servers, options.serverVariables);
  const auth = bindCredentials(plan, options.auth);
  const credentials = allCredentials(auth);
  // Construction-time safety rails (transport, environment) of the auth layer.
  if (credentials.length > 0) {
    const problem = checkCredentials(descriptor.securitySchemes, descriptor.servers, baseUrl, credentials);
    if (problem) throw problem;
  }
  const retry = options.retry === false ? { ...DEFAULT_RETRY, maxRetries: 0 } : options.retry ? { ...DEFAULT_RETRY, ...definedOnly(options.retry) } : DEFAULT_RETRY;
  return {
    baseUrl: removeTrailingSlash(baseUrl),
    environment: environmentOf(baseUrl, descriptor.servers),
    fetcher: options.fetcher,
    auth,
    credentials,
    headers: options.headers ? lowerCaseKeys(options.headers) : undefined,
    retry,
    timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    hooks: options.hooks && Object.values(options.hooks).some(Boolean) ? options.hooks : undefined,
    throwOnError: options.throwOnError === true,
    creditGuard: options.creditGuard === true,
    checkScopes: options.checkScopes === true,
    idempotencyHeader: options.idempotency?.header?.toLowerCase() ?? IDEMPOTENCY_HEADER,
    querySerializer: (options.querySerializer ? createQuerySerializer(options.querySerializer) : defaultQuerySerializer) as (
      query: unknown,
    ) => string,
    claims: resolveClaimNames(descriptor.claims, options.claimsNamespace),
    clock: options.clock ? { now: () => options.clock!.now(), sleep: options.clock.sleep?.bind(options.clock) ?? sleep } : SYSTEM_CLOCK,
    controls: controlsOf(options),
  };
}

const LOGGER_METHODS = ["error", "warn", "info", "debug"] as const;
const LOG_LEVEL_FIX = 'must be "off", "error", "warn", "info" or "debug"';

const isObserver = (v: unknown): boolean => typeof v === "object" && v !== null && typeof (v as CallObserver).startCall === "function";

/** `PORTICO_LOG` from the environment (Node, Deno, Bun); undefined where there is none (browsers). */
function envLogLevel(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.["PORTICO_LOG"];
  return value === undefined || value === "" ? undefined : value.trim().toLowerCase();
}

let defaultControls: CallControls | undefined;
let defaultLevel: string | undefined;

/** The controls of a client: one shared object when every option is at its default. */
function controlsOf(options: ClientOptions): CallControls {
  const env = envLogLevel();
  if (env !== undefined && !LOG_LEVELS.includes(env as LogLevel)) {
    throw new PorticoError("INVALID_OPTIONS", `The PORTICO_LOG environment variable is ${JSON.stringify(env.slice(0, 32))}; it ${LOG_LEVEL_FIX}, or unset.`, { option: "PORTICO_LOG" });
  }
  const plain =
    options.logger === undefined &&
    options.logLevel === undefined &&
    options.telemetry === undefined &&
    options.retryBudget === undefined &&
    options.circuitBreaker === undefined &&
    options.pacing === undefined &&
    options.maxCreditsPerMinute === undefined;
  if (plain && defaultControls !== undefined && defaultLevel === env) return defaultControls;
  const level = options.logLevel ?? (env as LogLevel | undefined) ?? (options.logger !== undefined ? "warn" : "off");
  const telemetry: readonly CallObserver[] = options.telemetry === undefined ? [] : Array.isArray(options.telemetry) ? options.telemetry : [options.telemetry as CallObserver];
  const logging = level === "off" ? undefined : { logger: options.logger ?? console, level, telemetry };
  const { retryBudget, circuitBreaker, pacing } = options;
  if (pacing && pacing.store !== undefined && pacing.key === undefined) {
    throw new PorticoError(
      "INVALID_OPTIONS",
      'Client option "pacing.store" needs "pacing.key": a shared store keeps budgets by name, and without one each client would name its own. Give the name every process uses for this budget, e.g. pacing: { store, key: "<tenant id>" }.',
      { option: "pacing.key" },
    );
  }
  const controls: CallControls = {
    observer: logging !== undefined || telemetry.length === 0 ? undefined : combineObservers(telemetry),
    logging,
    health: {
      budget: retryBudget === false ? undefined : { ...DEFAULT_RETRY_BUDGET, ...definedOnly(retryBudget ?? {}) },
      breaker: circuitBreaker === false ? undefined : { ...DEFAULT_CIRCUIT_BREAKER, ...definedOnly(circuitBreaker ?? {}) },
    },
    pacing: pacing === false ? undefined : { maxWaitMs: pacing?.maxWaitMs ?? DEFAULT_MAX_WAIT_MS, store: pacing?.store ?? processPaceStore(), key: pacing?.key },
    maxCreditsPerMinute: options.maxCreditsPerMinute,
  };
  if (plain) {
    defaultControls = controls;
    defaultLevel = env;
  }
  return controls;
}

const SYSTEM_CLOCK: CallClock = { now: systemClock.now, sleep };

/** Options that belong to a stage (`creditGuard`, `hooks.onCredits`, ...), given to a client without it. */
export const STAGE_OPTIONS = ["creditGuard", "checkScopes", "serverVariables", "maxCreditsPerMinute", "hooks.onCredits", "hooks.onRateLimit"] as const;

function optionWithoutStage(options: ClientOptions, stages: Stages): string | undefined {
  for (const name of STAGE_OPTIONS) {
    const [head, hook] = name.split(".") as [keyof ClientOptions, string | undefined];
    const value = hook === undefined ? options[head] : (options.hooks as Record<string, unknown> | undefined)?.[hook];
    if (value !== undefined && value !== false && !stages.options.has(name)) return name;
  }
  return undefined;
}


function definedOnly<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
