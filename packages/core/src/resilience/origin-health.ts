/**
 * What this process knows of an origin's health, shared by every client that calls it: a retry
 * budget (gRPC A6 retry throttling: a token bucket that failures drain and successes refill, and
 * retries stop while it is below half) and a circuit breaker (after consecutive failures, calls
 * fail fast until a cooldown passes; then one probe decides). First attempts never spend budget;
 * only an open circuit holds them back.
 *
 * @see https://github.com/grpc/proposal/blob/master/A6-client-retries.md#throttling-retry-attempts-and-hedged-rpcs
 */
import { PorticoError } from "../errors/portico-error.js";

/** Retry budget settings (`retryBudget` client option). */
export interface RetryBudgetOptions {
  /** Size of the bucket; retries go while more than half of it is left. @default 10 */
  readonly maxTokens?: number;
  /** What a successful attempt puts back (a failed one takes 1). @default 0.1 */
  readonly tokenRatio?: number;
}

/** Circuit breaker settings (`circuitBreaker` client option). */
export interface CircuitBreakerOptions {
  /** Consecutive failed attempts (network error, timeout, 500/502/503/504) that open the circuit. @default 10 */
  readonly failureThreshold?: number;
  /** How long an open circuit fails calls fast before one probe may go. @default 5000 */
  readonly cooldownMs?: number;
}

/** Resolved settings of one client; `undefined` parts are turned off. */
export interface HealthSettings {
  readonly budget: Required<RetryBudgetOptions> | undefined;
  readonly breaker: Required<CircuitBreakerOptions> | undefined;
}

export const DEFAULT_RETRY_BUDGET: Required<RetryBudgetOptions> = { maxTokens: 10, tokenRatio: 0.1 };
export const DEFAULT_CIRCUIT_BREAKER: Required<CircuitBreakerOptions> = { failureThreshold: 10, cooldownMs: 5_000 };

/** How an attempt went, for the origin's health. */
export type AttemptHealth = "success" | "failure" | "throttled";

/** The shared state of one origin. */
export interface OriginHealth {
  readonly origin: string;
  /** Retry budget tokens left: `Infinity` while full (a client's `maxTokens` caps what it reads). */
  tokens: number;
  /** Failed attempts since the last success. */
  failures: number;
  /** While open: when a probe may go (epoch ms). */
  openUntil: number;
  /** A half-open probe is in flight. */
  probing: boolean;
}

const origins = new Map<string, OriginHealth>();

/** Origins kept before those at rest are dropped (an API with a host per tenant meets many). */
const MAX_ORIGINS = 1024;

/**
 * Drops the origins whose health says nothing: no failure since the last success, no probe, and
 * a bucket no failure has drained. Clients that meet them again start them afresh, as they would be.
 */
function forgetOriginsAtRest(): void {
  for (const [origin, health] of origins) {
    if (health.failures === 0 && !health.probing && health.tokens === Number.POSITIVE_INFINITY) origins.delete(origin);
  }
  byBaseUrl.clear();
}

/** Each base URL's origin health, so a call finds it with one lookup and a client keeps no field for it. */
const byBaseUrl = new Map<string, OriginHealth>();

/** The shared health of the origin of `baseUrl` (`https://api.example.com/v1` → `https://api.example.com`). */
export function healthOfBase(baseUrl: string): OriginHealth {
  let health = byBaseUrl.get(baseUrl);
  if (health === undefined) byBaseUrl.set(baseUrl, (health = healthOf(originOf(baseUrl))));
  return health;
}

/** Forgets every origin's health (tests: a fresh process's state, without a new process). */
export function forgetOriginHealth(): void {
  origins.clear();
  byBaseUrl.clear();
}

/** `https://api.example.com` of `https://api.example.com/v1`: scheme, host and port of an absolute URL. */
export function originOf(url: string): string {
  const scheme = url.indexOf("//");
  const slash = url.indexOf("/", scheme + 2);
  return slash === -1 ? url : url.slice(0, slash);
}

/** The shared health of `origin` (`https://api.example.com`), made on first use. */
export function healthOf(origin: string): OriginHealth {
  let health = origins.get(origin);
  if (health === undefined) {
    if (origins.size >= MAX_ORIGINS) forgetOriginsAtRest();
    health = { origin, tokens: Number.POSITIVE_INFINITY, failures: 0, openUntil: 0, probing: false };
    origins.set(origin, health);
  }
  return health;
}

/**
 * Whether an attempt may be sent now. An open circuit refuses with `CIRCUIT_OPEN`; once its
 * cooldown has passed, the first attempt becomes the probe (`"probe"`) and the others keep failing fast.
 */
export function admitAttempt(health: OriginHealth, settings: HealthSettings, now: number): "go" | "probe" | PorticoError {
  const breaker = settings.breaker;
  if (breaker === undefined || health.failures < breaker.failureThreshold) return "go";
  if (now >= health.openUntil && !health.probing) {
    health.probing = true;
    return "probe";
  }
  const retryAt = Math.max(health.openUntil, now);
  return new PorticoError(
    "CIRCUIT_OPEN",
    `${health.origin} failed ${health.failures} attempts in a row, so calls to it fail fast until ${new Date(retryAt).toISOString()}; nothing was sent. The client tries again after the cooldown; set circuitBreaker: false to send regardless.`,
    { origin: health.origin, retryAt, retryAfterMs: retryAt - now },
  );
}

/** Records how an attempt went: a success closes the circuit and refills the budget a little. */
export function recordAttempt(health: OriginHealth, settings: HealthSettings, outcome: AttemptHealth, probe: boolean, now: number): void {
  if (probe) health.probing = false;
  const budget = settings.budget;
  if (outcome === "success") {
    health.failures = 0;
    // A full bucket is kept as Infinity: full for every client's `maxTokens`, and at rest.
    if (budget !== undefined) health.tokens = health.tokens + budget.tokenRatio >= budget.maxTokens ? Number.POSITIVE_INFINITY : health.tokens + budget.tokenRatio;
    return;
  }
  if (budget !== undefined) health.tokens = Math.max(0, Math.min(budget.maxTokens, health.tokens) - 1);
  if (outcome === "throttled") return;
  health.failures += 1;
  const breaker = settings.breaker;
  // Opens on reaching the threshold, or again when the probe (or a late attempt after the cooldown) fails.
  if (breaker !== undefined && health.failures >= breaker.failureThreshold && (probe || now >= health.openUntil)) health.openUntil = now + breaker.cooldownMs;
}

/** A probe that ended without an outcome (aborted by its caller): the next attempt probes instead. */
export function releaseProbe(health: OriginHealth): void {
  health.probing = false;
}

/** Whether the budget allows a retry now (more than half the bucket left). */
export function retryAllowed(health: OriginHealth, settings: HealthSettings): boolean {
  const budget = settings.budget;
  return budget === undefined || Math.min(budget.maxTokens, health.tokens) > budget.maxTokens / 2;
}
