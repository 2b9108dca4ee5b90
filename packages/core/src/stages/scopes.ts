/**
 * The scopes stage: with `checkScopes`, refuses, unsent, a call whose scheme asks for scopes the
 * credential's current token is known not to hold (`INSUFFICIENT_SCOPES`). A generated client
 * includes it when its spec's security requirements name scopes.
 */
import type { Stage } from "../client/stage.js";
import { checkScopes } from "../tokens/scopes.js";

/** `checkScopes`: the required scopes against the granted ones, before sending. */
export const scopesStage: Stage = {
  name: "scopes",
  options: ["checkScopes"],
  admit({ config, parts }) {
    if (!config.checkScopes) return undefined;
    for (const part of parts) {
      const problem = checkScopes(part.scopes, part.credential.grantedScopes?.(config.claims));
      if (problem) return problem;
    }
    return undefined;
  },
};
