import { forgetProcessPacing } from "../pacing/pacing.js";
import { forgetOriginHealth } from "../resilience/origin-health.js";

/**
 * Forgets what the process learned across clients: every origin's retry budget and circuit
 * breaker, and the rate-limit windows and credit spend of the default pace store. Call it before
 * each test (`beforeEach(resetSharedState)`) when tests answer with failures or spent rate limits
 * on one origin, so one test's outage does not open the circuit for the next.
 */
export function resetSharedState(): void {
  forgetOriginHealth();
  forgetProcessPacing();
}
