/**
 * Stages: the optional parts of the call path. A generated client passes the stages its spec
 * uses (credit headers, rate-limit headers, form or multipart bodies, server variables, ...) to
 * `createClient`; a stage it does not pass is never imported, so a bundler drops it.
 *
 * A stage plugs into fixed points of one call, in this order:
 * `admit` (before the first attempt, may refuse the call) → `pace` (before every attempt, may make
 * it wait; the pacing code comes with these stages, so a client without one carries none) →
 * `observe` (headers of every response) → `encoders` (request bodies of its media types, at plan
 * time). `options` names the client options it reads: an option whose stage is absent is refused
 * at construction.
 */
import type { SelectedScheme } from "../auth/bind-credentials.js";
import type { PorticoError } from "../errors/portico-error.js";
import type { HeaderView } from "../internal/header-view.js";
import type { Redactor } from "../internal/redact.js";
import type { ApiDescriptor, ServerDescriptor } from "../spec/descriptor.js";
import type { CallWatch, PaceReason } from "../observe/observer.js";
import type { PaceStore } from "../pacing/pace-store.js";
import type { PacingOptions } from "../pacing/pacing.js";
import type { OperationPlan } from "./api-plan.js";
import type { BodyEncoder } from "./encode-body.js";
import type { CallClock, ClientConfig } from "./options.js";
import type { CallInfo, CreditsInfo, RateLimitInfo, ResponseMeta } from "./types.js";

/** What one client knows across calls: the last credit balance and rate limit seen. */
export interface ClientMemory {
  credits: number | undefined;
  rateLimit: RateLimitInfo | undefined;
  /** The client's key in the pace store (its origin, and its pacing key or credentials), made on first use. */
  paceKey?: string;
}

/** What one call has learned so far; stages write `credits` and `rateLimit`. */
export interface CallProgress {
  attempts: number;
  retries: number;
  replayed: boolean;
  /** The origin's retry budget is spent: no more retries (first attempts still go). */
  budgetExhausted?: boolean;
  status?: number;
  requestId?: string;
  credits?: CreditsInfo;
  rateLimit?: RateLimitInfo;
  response?: Response;
  /** Headers of the last response, read once. */
  headers?: HeaderView;
}

/** What a stage sees of one call. */
export interface CallScope {
  readonly op: OperationPlan;
  readonly config: ClientConfig;
  readonly memory: ClientMemory;
  readonly progress: CallProgress;
  /** The schemes chosen for the call, each with its credential; empty without `auth`. */
  readonly parts: readonly SelectedScheme[];
  /** The current attempt. */
  readonly info: CallInfo;
  /** The client's redactor, for text a stage keeps from a response. */
  readonly redact: () => Redactor;
}

/** An optional part of the call path; see the module comment for where each member runs. */
export interface Stage {
  /** Names the stage in errors and in the bundle table. */
  readonly name: string;
  /** Client options this stage reads (e.g. `creditGuard`). */
  readonly options?: readonly string[];
  /** Before the first attempt: a typed refusal ends the call with nothing sent. */
  readonly admit?: (call: CallScope) => PorticoError<string> | undefined;
  /** Before every attempt, with pacing on: the budget this stage keeps (a rate-limit window, credits per minute). */
  readonly pace?: Pacer;
  /** Reads the headers of every response into the call (`progress`) and the client (`memory`). */
  readonly observe?: (headers: HeaderView, call: CallScope) => void;
  /** Request body encoders by media type essence (`application/x-www-form-urlencoded`). */
  readonly encoders?: Readonly<Record<string, BodyEncoder>>;
  /**
   * Methods the stage adds to its clients (`paginate`, `stream`), called with the client as
   * `this`; they reach the API through the client's own methods, so every request they make goes
   * through the whole call path.
   */
  readonly methods?: Readonly<Record<string, (this: StageClient, ...args: never[]) => unknown>>;
  /** The base URL of a client given no `baseUrl`, from the spec's servers and `serverVariables`. */
  readonly serverUrl?: (api: string, servers: readonly ServerDescriptor[], values: Readonly<Record<string, string>> | undefined) => string;
}

/** A stage's pacing: the budget it keeps, and the pacing code that waits for every pacer's budget. */
export interface Pacer {
  /** Names the budget in `RATE_LIMITED` errors and to observers. */
  readonly reason: PaceReason;
  /** How long the call must wait for this budget in `store`; 0 to go now, the attempt then counted against it. */
  wait(call: CallScope, store: PaceStore): number | Promise<number>;
  /**
   * Waits before an attempt for every pacer of the client (`paceAttempt` of `pacing/pacing.ts`).
   * The pacers carry it, so the call path reaches the pacing code only through a stage that paces.
   */
  readonly attempt: PaceAttempt;
}

/** What pacing needs of a call: the stages' view of it, and its observers' watch. */
export interface PacedCall extends CallScope {
  readonly watch: CallWatch | undefined;
}

/** How pacing ended: `RATE_LIMITED`, `"aborted"`, or `undefined` when the attempt may go. */
export type PaceOutcome = PorticoError | "aborted" | undefined;

/**
 * Waits before an attempt for the `pacers`' budgets, with the client's `pacing` settings and the
 * call's `maxWaitMs`: `RATE_LIMITED` when the wait would be too long, `"aborted"` when `signal`
 * aborted it, `undefined` when the attempt may go. Answers at once, not in a promise, when every
 * budget answered at once that the attempt may go (the usual case).
 */
export type PaceAttempt = (
  call: PacedCall,
  pacers: readonly Pacer[],
  pacing: PacingOptions,
  maxWaitMs: number | undefined,
  signal: AbortSignal | undefined,
) => PaceOutcome | Promise<PaceOutcome>;

/** The key of a client's untyped call, for stage methods: `this[CALL]("GET", "/v1/items", init)`. */
export const CALL: unique symbol = Symbol.for("portico.call") as never;

/** The key of what a stage's method may read of its client: `this[SCOPE]()` → descriptor and clock. */
export const SCOPE: unique symbol = Symbol.for("portico.scope") as never;

/** What a stage's method reads of its client: the API's descriptor (operation tables) and the client's clock. */
export interface StageClientScope {
  readonly descriptor: ApiDescriptor;
  /** The client's redactor: server text a stage keeps in an error (an event id, a cursor) goes through it. */
  readonly redact: Redactor;
  /** The client's clock (`ClientOptions.clock`): waits between reconnects go through `sleep`. */
  readonly clock: CallClock;
}

/** What a stage's method sees of its client: one untyped call through the whole call path. */
export interface StageClient {
  [CALL](method: string, path: string, init?: Record<string, unknown>): Promise<StageResult>;
  [SCOPE](): StageClientScope;
}

/** The untyped result of a call, as a stage's method sees it. */
export type StageResult =
  | { readonly data: unknown; readonly error?: undefined; readonly meta: ResponseMeta; readonly response: Response }
  | { readonly data?: undefined; readonly error: PorticoError<string>; readonly meta: ResponseMeta; readonly response?: Response };

/** A list of stages composed once: what the call path reads at each point. */
export interface Stages {
  readonly admit: readonly NonNullable<Stage["admit"]>[];
  readonly observe: readonly NonNullable<Stage["observe"]>[];
  /** The budgets of the stages that pace, in stage order. */
  readonly pacers: readonly Pacer[];
  /** Waits before an attempt for the `pacers`' budgets (the pacing code they carry); undefined when no stage paces. */
  readonly pace: PaceAttempt | undefined;
  readonly encoders: Readonly<Record<string, BodyEncoder>>;
  readonly options: ReadonlySet<string>;
  readonly serverUrl: Stage["serverUrl"];
  readonly methods: Readonly<Record<string, (this: StageClient, ...args: never[]) => unknown>>;
}

const composed = new WeakMap<readonly Stage[], Stages>();

/** Composes a list of stages once (per list, so every client of a generated factory shares it). */
export function composeStages(list: readonly Stage[]): Stages {
  let stages = composed.get(list);
  if (stages !== undefined) return stages;
  const encoders: Record<string, BodyEncoder> = {};
  const methods: Record<string, (this: StageClient, ...args: never[]) => unknown> = {};
  const pacers: Pacer[] = [];
  for (const stage of list) {
    Object.assign(encoders, stage.encoders);
    Object.assign(methods, stage.methods);
    if (stage.pace) pacers.push(stage.pace);
  }
  stages = {
    admit: list.flatMap((stage) => (stage.admit ? [stage.admit] : [])),
    observe: list.flatMap((stage) => (stage.observe ? [stage.observe] : [])),
    pacers,
    pace: pacers[0]?.attempt,
    encoders,
    options: new Set(list.flatMap((stage) => stage.options ?? [])),
    serverUrl: list.find((stage) => stage.serverUrl)?.serverUrl,
    methods,
  };
  composed.set(list, stages);
  return stages;
}
