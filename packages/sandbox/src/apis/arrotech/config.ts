/** Arrotech sandbox options, resolved once from `ctx.options`. */
import type { SandboxContext } from "../../types.js";

export type ArrotechEnvironment = "production" | "sandbox";

export interface ArrotechConfig {
  /**
   * Which deployment this server plays. Default `sandbox`: it accepts `ak_test_` keys and answers a
   * live key `401 UNAUTHORIZED` (`details.reason: "environment_mismatch"`); `production` is the
   * mirror image, the seed's rule that sandbox keys against production get `401 Unauthorized`.
   */
  readonly environment: ArrotechEnvironment;
  /** `iss` of issued JWTs (the `api` origin). */
  readonly issuer: string;
  readonly tokenLifetimeSeconds: number;
  /** How long a workflow run takes on the sandbox clock. */
  readonly workflowRunMs: number;
  readonly rateLimitPerMinute: number;
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) throw new RangeError(`Arrotech sandbox option "${name}" must be a positive integer`);
  return value;
}

export function resolveArrotechConfig(ctx: SandboxContext): ArrotechConfig {
  const o = ctx.options;
  const environment = o["environment"] ?? "sandbox";
  if (environment !== "sandbox" && environment !== "production") throw new TypeError(`Arrotech sandbox option "environment" must be "sandbox" or "production"`);
  if (ctx.origins["hub"] === undefined) throw new Error('Arrotech sandbox needs a "hub" origin for /auth/authorize');
  return {
    environment,
    issuer: (ctx.origins["api"] ?? "").replace(/\/$/, ""),
    tokenLifetimeSeconds: positiveInt(o.tokenLifetimeSeconds, "tokenLifetimeSeconds", 3600),
    workflowRunMs: positiveInt(o["workflowRunMs"], "workflowRunMs", 2000),
    rateLimitPerMinute: positiveInt(o["rateLimitPerMinute"], "rateLimitPerMinute", 6000),
  };
}
