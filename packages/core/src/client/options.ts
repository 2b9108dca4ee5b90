import { createQuerySerializer, removeTrailingSlash } from "openapi-fetch";
import * as z from "zod/mini";
import { canParseUrl, firstIssue, flag, fn as optionFn, HEADER_NAME, isHeaderValue, isPlainObject, MAX_TIMER_MS, numberWhere } from "../internal/option-schema.js";
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
import type { PacingOptions } from "../pacing/pacing.js";
import { GATE_LIMIT_FIX, isConcurrencyGate, isGateLimit, type GateOption } from "../resilience/concurrency-gate.js";
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
  /**
   * The `pacing` option as given (`{}` when absent), undefined with `pacing: false`. The pacing
   * stages fill in its defaults (the process's pace store, `maxWaitMs`), so a client without one
   * carries no pacing code.
   */
  readonly pacing: PacingOptions | undefined;
  readonly maxCreditsPerMinute: number | undefined;
  /** The limit on attempts in flight, with `maxConcurrency`. */
  readonly concurrency: GateOption | undefined;
}

/** Per-attempt timeout when none is given. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Largest response body read into memory when none is given. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const defaultQuerySerializer = /*#__PURE__*/ createQuerySerializer();

const isCredential = (v: unknown): boolean =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as Credential).kind === "string" &&
  typeof (v as Credential).authorize === "function";

/** Methods an object must have (`logger`, `pacing.store`). */
const hasMethods = (v: unknown, methods: readonly string[]): boolean =>
  typeof v === "object" && v !== null && methods.every((m) => typeof (v as Record<string, unknown>)[m] === "function");

const HOOKS = ["onRequest", "onResponse", "onRetry", "onError", "onCredits", "onRateLimit"] as const;
/** Options that take `false` (off) or an object of settings; `false` is taken out before parsing. */
const SWITCHES = ["retry", "retryBudget", "circuitBreaker", "pacing"] as const;
const HEADER_FIX = "must be an object of header name to string value";
const HEADER_NAME_FIX = "is not a valid HTTP header name (letters, digits and !#$%&'*+.^_`|~- only)";

/**
 * The options schema, built on first use (not at module load) so a bundle that never constructs a
 * client does not keep zod's schema code. Built from a few shared pieces (each schema instance is
 * reused wherever the same rule applies) and without zod's union, pipe and record schemas: a
 * switch is its settings object once `false` is taken out, and a map of strings is one check.
 */
let optionsSchema: ReturnType<typeof buildOptionsSchema> | undefined;

const buildOptionsSchema = () => {
  const opt = z.optional;
  const custom = <T>(ok: (v: unknown) => boolean, fix: string) => opt(z.custom<T>(ok, { error: fix }));
  const text = (ok: (v: string) => boolean, fix: string) => custom<string>((v) => typeof v === "string" && ok(v), fix);
  const whole = (min: number, max: number, unit = "", note = "") =>
    opt(numberWhere((v) => Number.isSafeInteger(v) && v >= min && v <= max, `must be a whole number${unit} from ${min} to ${max}${note}`));
  /** An object of these settings; with `off`, `false` too. The message lists the keys. */
  const settings = <S extends z.core.$ZodLooseShape>(shape: S, off = true) =>
    opt(z.strictObject(shape, { error: `must be ${off ? "false or " : ""}{ ${Object.keys(shape).join("?, ")}? }` }));
  /** A plain object whose names pass `name` and whose values are strings (else `typeFix`) passing `ok` (else `valueFix`); the first bad entry is the issue. */
  const strings = (fix: string, typeFix: string, ok?: (v: string) => boolean, valueFix = "", name?: (n: string) => boolean) =>
    opt(
      z.custom<Record<string, string>>(isPlainObject, { error: fix }).check(
        z.check<Record<string, string>>((ctx) => {
          if (!isPlainObject(ctx.value)) return;
          for (const [key, value] of Object.entries(ctx.value)) {
            const message = name && !name(key) ? HEADER_NAME_FIX : typeof value !== "string" ? typeFix : !ok || ok(value) ? undefined : valueFix;
            if (message === undefined) continue;
            ctx.issues.push({ code: "custom", input: value, path: [key.slice(0, 64)], message });
            return;
          }
        }),
      ),
    );
  const fn = opt(optionFn("must be a function"));
  const bool = opt(flag());
  const delay = whole(0, MAX_TIMER_MS, " of milliseconds");
  const positive = opt(numberWhere((v) => v > 0 && v <= MAX_TIMER_MS, `must be a number of milliseconds > 0 and ≤ ${MAX_TIMER_MS}`));
  const example = (v: string) => `, e.g. "${v}"`;
  return z.strictObject({
    baseUrl: text((v) => /^https?:\/\/[^/]/i.test(v) && canParseUrl(v), `must be an absolute http(s) URL${example("https://api.example.com")}`),
    fetcher: opt(optionFn("must be a function (url: string, init) => Promise<Response>")),
    auth: custom(
      (v) =>
        isCredential(v) ||
        (Array.isArray(v) && v.every(isCredential)) ||
        (isPlainObject(v) && Object.values(v).every((c) => c === undefined || isCredential(c))),
      'must be a credential (e.g. apiKey("…") or bearerToken("…")), a list of credentials, or credentials by scheme name ({ schemeName: credential })',
    ),
    serverVariables: strings("must be an object of variable name to string value", "must be a string"),
    headers: strings(
      HEADER_FIX,
      HEADER_FIX,
      isHeaderValue,
      "must be a string HTTP can carry (Latin-1, no line break or NUL); encode it first, e.g. with encodeURIComponent",
      (n) => HEADER_NAME.test(n),
    ),
    retry: settings({ maxRetries: whole(0, 100, "", " (0 disables retries)"), baseDelayMs: delay, maxDelayMs: delay, maxRetryAfterMs: delay }),
    timeout: positive,
    maxResponseBytes: opt(numberWhere((v) => Number.isSafeInteger(v) && v > 0, "must be a whole number of bytes > 0")),
    hooks: settings(Object.fromEntries(HOOKS.map((hook) => [hook, fn])) as Record<(typeof HOOKS)[number], typeof fn>, false),
    throwOnError: bool,
    creditGuard: bool,
    checkScopes: bool,
    idempotency: settings({ header: text((v) => HEADER_NAME.test(v), `must be a valid header name${example("Idempotency-Key")}`) }, false),
    querySerializer: opt(z.object({}, { error: "must be openapi-fetch query serializer options" })),
    clock: custom(
      (v) => hasMethods(v, ["now"]) && ((v as Partial<CallClock>).sleep === undefined || typeof (v as Partial<CallClock>).sleep === "function"),
      "must be { now(): number, sleep?(ms, signal): Promise<boolean> } (epoch milliseconds)",
    ),
    logger: custom<Logger>((v) => hasMethods(v, LOGGER_METHODS), "must be a console-like object with error, warn, info and debug methods (console, pino, winston, ...)"),
    logLevel: custom<LogLevel>((v) => LOG_LEVELS.includes(v as LogLevel), LOG_LEVEL_FIX),
    telemetry: custom(
      (v) => isObserver(v) || (Array.isArray(v) && v.every(isObserver)),
      "must be an observer such as openTelemetry() from @portico/core/opentelemetry (an object with startCall), or a list of them",
    ),
    retryBudget: settings({ maxTokens: whole(1, 1000), tokenRatio: opt(numberWhere((v) => v > 0 && v <= 1, "must be a number > 0 and ≤ 1")) }),
    circuitBreaker: settings({ failureThreshold: whole(1, 10_000), cooldownMs: positive }),
    pacing: settings({
      maxWaitMs: delay,
      store: custom<PaceStore>((v) => hasMethods(v, ["reserve", "record", "spend"]), "must be a pace store ({ reserve, record, spend }), e.g. createRedisPaceStore(redis) from @portico/node"),
      key: text((v) => v.length > 0 && v.length <= 256, "must be a string of 1 to 256 characters naming whose budget the client spends, e.g. the tenant id"),
    }),
    maxCreditsPerMinute: opt(numberWhere((v) => v > 0 && Number.isFinite(v), "must be a number of credits > 0")),
    maxConcurrency: custom((v) => isConcurrencyGate(v) || isGateLimit(v), `${GATE_LIMIT_FIX} (attempts in flight at once), or a gate from createConcurrencyGate(n) shared by several clients`),
    claimsNamespace: text((v) => v.length > 0, `must be the claim namespace prefix (not empty)${example("https://atrope.dev/claims/")}`),
  });
};

/**
 * Validates client options once and resolves defaults. Throws `PorticoError("INVALID_OPTIONS")`
 * naming the option and the fix, or the auth layer's construction-time refusal
 * (`INSECURE_TRANSPORT`, `ENVIRONMENT_MISMATCH`, `INVALID_TOKEN_FORMAT`).
 */
export function resolveOptions(plan: ApiPlan, stages: Stages, options: ClientOptions): ClientConfig {
  const descriptor = plan.descriptor;
  // `false` turns a switch off: parsed as absent, so each switch is one object schema, not a union.
  const input: Record<string, unknown> = { ...options };
  for (const key of SWITCHES) if (input[key] === false) input[key] = undefined;
  const parsed = (optionsSchema ??= buildOptionsSchema()).safeParse(input);
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
    options.maxCreditsPerMinute === undefined &&
    options.maxConcurrency === undefined;
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
    pacing: pacing === false ? undefined : { ...pacing },
    maxCreditsPerMinute: options.maxCreditsPerMinute,
    concurrency: options.maxConcurrency === undefined ? undefined : { option: options.maxConcurrency },
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
