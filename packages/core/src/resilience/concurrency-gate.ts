/**
 * A limit on attempts in flight (`maxConcurrency`). A call waits for a slot, in the order calls
 * came, before it takes its credential, so a queue in front of the API is not spent from a token's
 * life: with many calls at once and short-lived tokens, a token would otherwise expire while its
 * request waited for a connection. The queue itself (`gate-queue.ts`) loads on the first call of a
 * client that has a limit; a client without one never loads it.
 */
import { PorticoError } from "../errors/portico-error.js";
import { missingChunkError } from "../internal/missing-chunk.js";
import type { GateQueue } from "./gate-queue.js";

/** A limit on attempts in flight, shared by every client given it (`maxConcurrency`). */
export interface ConcurrencyGate {
  /** Most attempts in flight at once. */
  readonly limit: number;
  /** Attempts in flight now. */
  readonly inFlight: number;
  /** Calls waiting for a slot now. */
  readonly waiting: number;
}

/** Marks the gates `createConcurrencyGate` makes. */
const GATE_BRAND = Symbol.for("portico.concurrency-gate");

/** A gate's counts, which its queue updates. */
export interface GateState {
  readonly limit: number;
  inFlight: number;
  waiting: number;
}

/** The most a gate admits (a safeguard against a typo, not a tuning value). */
const MAX_LIMIT = 1_000_000;

export const GATE_LIMIT_FIX = `must be a whole number from 1 to ${MAX_LIMIT}`;

export const isGateLimit = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= MAX_LIMIT;

export const isConcurrencyGate = (value: unknown): value is ConcurrencyGate => typeof value === "object" && value !== null && GATE_BRAND in value;

const newGate = (limit: number): GateState => ({ [GATE_BRAND]: true, limit, inFlight: 0, waiting: 0 }) as GateState;

/**
 * A limit on attempts in flight for several clients together (e.g. every tenant client of a
 * process): pass it as `maxConcurrency` to each. A number there gives the client a gate of its own.
 *
 * @example
 * const gate = createConcurrencyGate(64);
 * const client = createImsApiClient({ auth, maxConcurrency: gate });
 */
export function createConcurrencyGate(limit: number): ConcurrencyGate {
  if (!isGateLimit(limit)) {
    throw new PorticoError("INVALID_OPTIONS", `createConcurrencyGate(limit): the limit ${GATE_LIMIT_FIX}, e.g. createConcurrencyGate(64).`, { option: "limit" });
  }
  return newGate(limit);
}

/** A client's `maxConcurrency`, and its queue once the first call loaded it. */
export interface GateOption {
  readonly option: number | ConcurrencyGate;
  queue?: Promise<GateQueue>;
}

/**
 * The queue of a client's gate: a number's own gate, made once; a given gate's shared queue. If
 * the queue's module cannot be loaded (a chunk the app no longer serves after a deployment, or a
 * page gone offline), it resolves to `NETWORK_ERROR` for the call to end with, nothing sent; the
 * failed load is not kept, so the next call tries again.
 */
export async function queueOf(setting: GateOption): Promise<GateQueue | PorticoError> {
  const { option } = setting;
  const loading = (setting.queue ??= import("./gate-queue.js").then(({ gateQueue }) => gateQueue((typeof option === "number" ? newGate(option) : option) as GateState)));
  try {
    return await loading;
  } catch (thrown) {
    if (setting.queue === loading) delete setting.queue;
    // An error of its own for each call: a caller may add to its details.
    return missingChunkError({ code: "NETWORK_ERROR", notDone: "The request was not sent", module: "concurrency queue", loadedWith: "the first call of a client with maxConcurrency" }, thrown);
  }
}
