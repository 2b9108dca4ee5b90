import type { Hono } from "hono";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

/** What one fault rule does to the requests it matches. */
export interface FaultRule {
  /** `"METHOD /path/template"` as in the spec (e.g. `"POST /v1/transaction/sale"`), or `"*"`. */
  readonly route: string;
  /** Added latency in ms before handling. */
  readonly latencyMs?: number;
  /** Statuses to answer instead of handling, consumed one per request (e.g. `[503, 503]`, then normal). */
  readonly statuses?: readonly number[];
  /** `Retry-After` value sent with injected statuses. */
  readonly retryAfter?: string;
  /** Destroy the socket before handling (`"before"`) or after the handler committed (`"after"`). */
  readonly reset?: "before" | "after";
  /** Answer with this raw body (and content type) instead of the handler's. */
  readonly malformed?: { readonly status: number; readonly contentType: string; readonly body: string };
  /** How many requests the rule applies to (default: all `statuses`, else 1). */
  readonly times?: number;
}

/** Per-API fault registry, driven from tests (in process, or over `/__sandbox/faults`). */
export interface FaultController {
  inject(rule: FaultRule): void;
  clear(): void;
}

/** Handed to each API's sandbox factory. */
export interface SandboxContext {
  /** Origins this API's servers listen on, by name: always `api`, plus `auth`/`hub` where the API has them. */
  readonly origins: Readonly<Record<string, string>>;
  readonly faults: FaultController;
  /** Milliseconds since epoch; tests may move it. */
  now(): number;
  readonly options: SandboxApiOptions;
}

/** Knobs tests and the demo turn per API. */
export interface SandboxApiOptions {
  /** Lifetime of issued access tokens, seconds (e.g. 5 to exercise refresh-ahead). */
  readonly tokenLifetimeSeconds?: number;
  /** IMS: run in `AUTH_MODE=dev` (no token validation). */
  readonly devMode?: boolean;
  /** ERIP: starting credit balance per tenant. */
  readonly initialCredits?: number;
  readonly [key: string]: unknown;
}

/** What each API's sandbox factory returns. */
export interface ApiSandbox {
  /** One Hono app per origin name (`api` required; `auth`/`hub` when the API has another origin). */
  readonly apps: Readonly<Record<string, Hono>>;
  /** Handles WebSocket upgrades on the `api` origin (Atlas). */
  readonly upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Seeded credentials, counters and helpers for tests and the demo (documented per API). */
  readonly control: Record<string, unknown>;
  close?(): Promise<void> | void;
}

export type SandboxApiName = "ims" | "eudr" | "atlas" | "arrotech" | "erip";
