/**
 * The credits stage: reads `X-Credits-Remaining` / `X-Credits-Cost` on every response into the
 * call's `meta.credits` and the client's `credits` (and `onCredits`); with `creditGuard` refuses,
 * unsent, an operation whose declared cost exceeds the last known balance; with
 * `maxCreditsPerMinute` keeps the credential's spend per sliding minute under the budget. A
 * generated client includes it when its spec declares credit headers or per-operation costs.
 */
import type { CallScope, Stage } from "../client/stage.js";
import { PorticoError } from "../errors/portico-error.js";
import { parseCredits } from "../metering/credits.js";
import { paceAttempt, paceKeyOf, paceStoreOf } from "../pacing/pacing.js";

/** Credit balance and cost on every response; `creditGuard`; `maxCreditsPerMinute`. */
export const creditsStage: Stage = {
  name: "credits",
  options: ["creditGuard", "maxCreditsPerMinute", "hooks.onCredits"],
  admit({ op, config, memory }) {
    if (!config.creditGuard || op.credits === undefined || memory.credits === undefined || op.credits <= memory.credits) return undefined;
    return new PorticoError(
      "INSUFFICIENT_CREDITS",
      `${op.key} costs ${op.credits} credits but the last known balance is ${memory.credits}; the call was not sent. Top up credits, or turn off creditGuard.`,
      { balance: memory.credits, cost: op.credits },
    );
  },
  pace: {
    reason: "credits",
    // A declared cost is spent from the budget before sending; an undeclared one when the response says it.
    wait(call, store) {
      const max = call.config.controls.maxCreditsPerMinute;
      if (max === undefined || call.op.credits === undefined) return 0;
      return store.spend(paceKeyOf(call), call.op.credits, max, call.config.clock.now());
    },
    attempt: paceAttempt,
  },
  observe(headers, call) {
    const credits = parseCredits(headers);
    if (credits === undefined) return;
    call.progress.credits = credits;
    if (credits.remaining !== undefined) call.memory.credits = credits.remaining;
    if (credits.cost !== undefined && call.op.credits === undefined) countSpend(call, credits.cost);
    call.config.hooks?.onCredits?.(credits, call.info);
  },
};

/** Counts what a response says an operation of undeclared cost spent (it is already spent: never waits). */
function countSpend(call: CallScope, cost: number): void {
  const pacing = call.config.controls.pacing;
  if (pacing === undefined || call.config.controls.maxCreditsPerMinute === undefined || !(cost > 0)) return;
  const spent = paceStoreOf(pacing).spend(paceKeyOf(call), cost, Number.MAX_VALUE, call.config.clock.now());
  if (typeof spent === "object") spent.catch(() => {});
}
