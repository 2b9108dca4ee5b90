/**
 * The waiting line of a concurrency gate: slots taken in arrival order, handed straight to the
 * next waiter when one frees, and left by a waiter whose signal aborts.
 */
import type { GateState } from "./concurrency-gate.js";

/** Takes and gives back a gate's slots. */
export interface GateQueue {
  /** Takes a slot: `true` at once or when one frees, `false` if `signal` aborts first. */
  enter(signal: AbortSignal | undefined): boolean | Promise<boolean>;
  /** Gives a slot back: to the first waiter still waiting, else to the gate. */
  leave(): void;
}

interface Waiter {
  readonly resolve: (entered: boolean) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
  done: boolean;
}

/**
 * Where a gate keeps its queue: on the gate itself, under a registered symbol, so every client
 * given the gate (from any copy of core) takes and gives back slots through the one line.
 */
const QUEUE = Symbol.for("portico.concurrency-gate.queue");

/** The one queue of `gate`, whichever clients share it. */
export function gateQueue(gate: GateState): GateQueue {
  const holder = gate as GateState & { [QUEUE]?: GateQueue };
  if (holder[QUEUE] === undefined) Object.defineProperty(holder, QUEUE, { value: createQueue(gate) });
  return holder[QUEUE]!;
}

function createQueue(gate: GateState): GateQueue {
  /** Waiters in arrival order from `head` on; settled ones are skipped. */
  let line: Waiter[] = [];
  let head = 0;
  return {
    enter(signal) {
      if (gate.inFlight < gate.limit) {
        gate.inFlight++;
        return true;
      }
      if (signal?.aborted) return false;
      gate.waiting++;
      return new Promise<boolean>((resolve) => {
        const waiter: Waiter = {
          resolve,
          signal,
          done: false,
          onAbort: () => {
            if (waiter.done) return;
            waiter.done = true;
            gate.waiting--;
            resolve(false);
          },
        };
        signal?.addEventListener("abort", waiter.onAbort, { once: true });
        line.push(waiter);
      });
    },
    leave() {
      while (head < line.length) {
        const waiter = line[head++]!;
        if (waiter.done) continue;
        waiter.done = true;
        gate.waiting--;
        waiter.signal?.removeEventListener("abort", waiter.onAbort);
        if (head >= 1024 && head * 2 >= line.length) {
          line = line.slice(head);
          head = 0;
        }
        waiter.resolve(true); // the slot passes to it: `inFlight` stays
        return;
      }
      line = [];
      head = 0;
      gate.inFlight--;
    },
  };
}
