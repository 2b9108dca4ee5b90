/**
 * Pacing: before an attempt is sent, each pacing stage (rate limit, credit budget) says how long
 * the call must wait for its budget. The call waits on the client's clock, or fails at once with
 * `RATE_LIMITED` when the wait would pass `maxWaitMs`, instead of earning a 429.
 *
 * Only the pacing stages import this module (each `Pacer` carries `paceAttempt`), so a client
 * whose spec declares no credit or rate-limit headers carries none of it: the client options
 * keep the `pacing` settings as given, and the defaults (the process's store, `maxWaitMs`) are
 * filled in here.
 */
import type { Credential } from "../auth/credential.js";
import type { CallScope, PaceAttempt, PacedCall, PaceOutcome, Pacer } from "../client/stage.js";
import { PorticoError } from "../errors/portico-error.js";
import type { PaceReason } from "../observe/observer.js";
import { originOf } from "../resilience/origin-health.js";
import { createMemoryPaceStore, type PaceStore } from "./pace-store.js";

/** Pacing settings (`pacing` client option). */
export interface PacingOptions {
  /** Longest a call waits for a spent budget before failing with `RATE_LIMITED`. @default 60000 */
  readonly maxWaitMs?: number;
  /** Where the pacing state lives, e.g. Redis for a fleet; needs `key`. @default this process's memory */
  readonly store?: PaceStore;
  /**
   * Whose budget this client spends, e.g. the tenant id: clients of one origin with the same key
   * share it, in the process or, with a shared `store`, across a fleet. @default the client's
   * credential objects: clients given the same credential share its budget, in this process
   */
  readonly key?: string;
}

/** Longest a call waits for a spent budget when neither the call nor the client says (`maxWaitMs`). */
export const DEFAULT_MAX_WAIT_MS = 60_000;

/** The memory store behind the process's pace store; replaced by `forgetProcessPacing`. */
let processMemory: PaceStore | undefined;

/** The process's pace store: it hands every call to its current memory store, so tests can empty it under built clients. */
const PROCESS_STORE: PaceStore = {
  reserve: (key, now) => (processMemory ??= createMemoryPaceStore()).reserve(key, now),
  record: (key, report, now) => (processMemory ??= createMemoryPaceStore()).record(key, report, now),
  spend: (key, cost, max, now) => (processMemory ??= createMemoryPaceStore()).spend(key, cost, max, now),
};

/** The pace store of a client's `pacing` settings: its `store`, else the one every client of this process shares. */
export function paceStoreOf(pacing: PacingOptions): PaceStore {
  return pacing.store ?? PROCESS_STORE;
}

/** Empties the process's pace store (tests): clients built before see the empty one too. */
export function forgetProcessPacing(): void {
  processMemory = undefined;
}

/** Numbers told apart credential objects whose fingerprints look alike (`sk_live_…`). */
const credentialIds = new WeakMap<object, number>();
let lastCredentialId = 0;

/**
 * The pacing key of a client: its origin, and the key it was given or its credentials (each
 * fingerprint with a number unique to the credential object in this process: never a secret, and
 * never one tenant's budget for another's).
 */
export function paceKey(baseUrl: string, key: string | undefined, credentials: readonly Credential[]): string {
  if (key !== undefined) return `${originOf(baseUrl)} ${key}`;
  const parts = [originOf(baseUrl), " "];
  credentials.forEach((credential, i) => {
    let id = credentialIds.get(credential);
    if (id === undefined) credentialIds.set(credential, (id = ++lastCredentialId));
    parts.push(i === 0 ? "" : ",", credential.fingerprint, "#", String(id));
  });
  // One join: a flat string, which every client keeps; a template literal would keep a tree of pieces.
  return parts.join("");
}

/** `RATE_LIMITED` for a call whose wait for `reason`'s budget would pass `maxWaitMs`; nothing was sent. */
export function paceRefusal(operation: string, reason: PaceReason, waitMs: number, maxWaitMs: number): PorticoError {
  const what = reason === "credits" ? "the credit budget (maxCreditsPerMinute)" : "the rate limit the API announced";
  const wait = Number.isFinite(waitMs) ? `${Math.ceil(waitMs)} ms` : "longer than any wait (the call alone costs more than the budget)";
  return new PorticoError(
    "RATE_LIMITED",
    `${operation} would wait ${wait} for ${what}, more than maxWaitMs (${maxWaitMs} ms); nothing was sent. Try again later, or raise maxWaitMs.`,
    { source: reason, retryAfterMs: Number.isFinite(waitMs) ? Math.ceil(waitMs) : undefined, maxWaitMs },
  );
}

/**
 * Waits, before an attempt, for every pacing stage's budget: asks each stage, waits what it
 * answers on the client's clock, and asks again, until all say go. A wait that would pass
 * `maxWaitMs` (the call's, else the client's `pacing.maxWaitMs`, else `DEFAULT_MAX_WAIT_MS`) ends
 * the call with `RATE_LIMITED`; an abort during a wait with `ABORTED` (`undefined` when the attempt may go).
 * While every budget answers "go" at once (the memory store, a budget not spent), no promise is made.
 */
export const paceAttempt: PaceAttempt = (call, pacers, pacing, callMaxWaitMs, signal) => {
  const store = paceStoreOf(pacing);
  for (let index = 0; index < pacers.length; index++) {
    const answer = (pacers[index] as Pacer).wait(call, store);
    if (typeof answer !== "number" || answer > 0) return waitForBudgets(call, pacers.slice(index), answer, store, callMaxWaitMs ?? pacing.maxWaitMs ?? DEFAULT_MAX_WAIT_MS, signal);
  }
  return undefined;
};

/** `paceAttempt` from the first pacer that did not say "go" at once, given its `first` answer. */
async function waitForBudgets(call: PacedCall, pacers: readonly Pacer[], first: number | Promise<number>, store: PaceStore, maxWaitMs: number, signal: AbortSignal | undefined): Promise<PaceOutcome> {
  const clock = call.config.clock;
  let waited = 0;
  let answer: number | Promise<number> | undefined = first;
  for (const pacer of pacers) {
    // A budget that keeps answering "wait" (another process took the slot first) is asked again, up to the limit.
    for (;;) {
      const waitMs = await (answer ?? pacer.wait(call, store));
      answer = undefined;
      if (!(waitMs > 0)) break;
      if (waited + waitMs > maxWaitMs) return paceRefusal(call.op.key, pacer.reason, waitMs, maxWaitMs);
      call.watch?.paced?.(waitMs, pacer.reason);
      if (!(await clock.sleep(waitMs, signal))) return "aborted";
      waited += waitMs;
    }
  }
  return undefined;
}

/** The call's key in the pace store (see `paceKey`), made once per client. */
export function paceKeyOf(call: CallScope): string {
  return (call.memory.paceKey ??= paceKey(call.config.baseUrl, call.config.controls.pacing?.key, call.config.credentials));
}
