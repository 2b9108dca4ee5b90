/** Validates a request against `specs/eudr.yaml` (the shared spec validator), after auth. */
import type { Context } from "hono";
import { findSpecFile, loadSpec, operationIndex } from "../../framework/spec.js";
import { validateRequest } from "../../validate.js";
import type { EudrEnv } from "./env.js";
import { EudrProblem } from "./http.js";

/** Returns a check that throws `400 VALIDATION_ERROR` with the spec validator's problems. */
export function createSpecCheck(): (c: Context<EudrEnv>) => Promise<void> {
  const { doc } = loadSpec(findSpecFile("eudr"));
  const index = operationIndex(doc);
  return async (c) => {
    const matched = index.match(c.req.method, c.req.path);
    if (!matched) return;
    const result = await validateRequest(doc, matched, c.req.raw);
    if (!result.ok) throw new EudrProblem(400, "VALIDATION_ERROR", result.message, { errors: result.problems });
  };
}
