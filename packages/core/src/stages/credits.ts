/**
 * The credits stage: reads `X-Credits-Remaining` / `X-Credits-Cost` on every response into the
 * call's `meta.credits` and the client's `credits` (and `onCredits`), and with `creditGuard`
 * refuses, unsent, an operation whose declared cost exceeds the last known balance. A generated
 * client includes it when its spec declares credit headers or per-operation costs.
 */
import type { Stage } from "../client/stage.js";
import { PorticoError } from "../errors/portico-error.js";
import { parseCredits } from "../metering/credits.js";

/** Credit balance and cost on every response; `creditGuard`. */
export const creditsStage: Stage = {
  name: "credits",
  options: ["creditGuard", "hooks.onCredits"],
  admit({ op, config, memory }) {
    if (!config.creditGuard || op.credits === undefined || memory.credits === undefined || op.credits <= memory.credits) return undefined;
    return new PorticoError(
      "INSUFFICIENT_CREDITS",
      `${op.key} costs ${op.credits} credits but the last known balance is ${memory.credits}; the call was not sent. Top up credits, or turn off creditGuard.`,
      { balance: memory.credits, cost: op.credits },
    );
  },
  observe(headers, { progress, memory, config, info }) {
    const credits = parseCredits(headers);
    if (credits === undefined) return;
    progress.credits = credits;
    if (credits.remaining !== undefined) memory.credits = credits.remaining;
    config.hooks?.onCredits?.(credits, info);
  },
};
