/** Validates a request against `specs/erip.yaml` (the shared spec validator). */
import type { Context } from "hono";
import { findSpecFile, loadSpec, operationIndex } from "../../framework/spec.js";
import { validateRequest } from "../../validate.js";
import type { EripEnv } from "./env.js";
import { EripProblem } from "./http.js";

/** Returns a check that throws the operation's declared 400 with the validator's problems. */
export function createSpecCheck(): (c: Context<EripEnv>) => Promise<void> {
  const { doc } = loadSpec(findSpecFile("erip"));
  const index = operationIndex(doc);
  return async (c) => {
    const matched = index.match(c.req.method, c.req.path);
    if (!matched) return;
    const result = await validateRequest(doc, matched, c.req.raw);
    if (!result.ok) throw new EripProblem(400, "VALIDATION_ERROR", result.message, { errors: result.problems });
  };
}
