/**
 * Stages: the optional parts of the call path. A generated client passes the stages its spec
 * uses (credit headers, rate-limit headers, form or multipart bodies, server variables, ...) to
 * `createClient`; a stage it does not pass is never imported, so a bundler drops it.
 *
 * A stage plugs into fixed points of one call, in this order:
 * `admit` (before the first attempt, may refuse the call) → `observe` (headers of every response)
 * → `encoders` (request bodies of its media types, at plan time). `options` names the client
 * options it reads: an option whose stage is absent is refused at construction.
 */
import type { SelectedScheme } from "../auth/bind-credentials.js";
import type { PorticoError } from "../errors/portico-error.js";
import type { HeaderView } from "../internal/header-view.js";
import type { Redactor } from "../internal/redact.js";
import type { ServerDescriptor } from "../spec/descriptor.js";
import type { OperationPlan } from "./api-plan.js";
import type { BodyEncoder } from "./encode-body.js";
import type { ClientConfig } from "./options.js";
import type { CallInfo, CreditsInfo, RateLimitInfo } from "./types.js";

/** What one client knows across calls: the last credit balance and rate limit seen. */
export interface ClientMemory {
  credits: number | undefined;
  rateLimit: RateLimitInfo | undefined;
}

/** What one call has learned so far; stages write `credits` and `rateLimit`. */
export interface CallProgress {
  attempts: number;
  retries: number;
  replayed: boolean;
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
  /** Reads the headers of every response into the call (`progress`) and the client (`memory`). */
  readonly observe?: (headers: HeaderView, call: CallScope) => void;
  /** Request body encoders by media type essence (`application/x-www-form-urlencoded`). */
  readonly encoders?: Readonly<Record<string, BodyEncoder>>;
  /** The base URL of a client given no `baseUrl`, from the spec's servers and `serverVariables`. */
  readonly serverUrl?: (api: string, servers: readonly ServerDescriptor[], values: Readonly<Record<string, string>> | undefined) => string;
}

/** A list of stages composed once: what the call path reads at each point. */
export interface Stages {
  readonly admit: readonly NonNullable<Stage["admit"]>[];
  readonly observe: readonly NonNullable<Stage["observe"]>[];
  readonly encoders: Readonly<Record<string, BodyEncoder>>;
  readonly options: ReadonlySet<string>;
  readonly serverUrl: Stage["serverUrl"];
}

const composed = new WeakMap<readonly Stage[], Stages>();

/** Composes a list of stages once (per list, so every client of a generated factory shares it). */
export function composeStages(list: readonly Stage[]): Stages {
  let stages = composed.get(list);
  if (stages !== undefined) return stages;
  const encoders: Record<string, BodyEncoder> = {};
  for (const stage of list) Object.assign(encoders, stage.encoders);
  stages = {
    admit: list.flatMap((stage) => (stage.admit ? [stage.admit] : [])),
    observe: list.flatMap((stage) => (stage.observe ? [stage.observe] : [])),
    encoders,
    options: new Set(list.flatMap((stage) => stage.options ?? [])),
    serverUrl: list.find((stage) => stage.serverUrl)?.serverUrl,
  };
  composed.set(list, stages);
  return stages;
}
