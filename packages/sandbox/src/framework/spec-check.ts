/** A handler-side check of a request against its API's spec (for apps that authenticate first). */
import type { Context } from "hono";
import type { SandboxApiName } from "../types.js";
import { validateRequest } from "../validate.js";
import { HttpProblem } from "./http.js";
import { findSpecFile, loadSpec, operationIndex } from "./spec.js";

/** Returns a check that throws `400 VALIDATION_ERROR` (details `{ errors }`) when the request breaks `specs/<api>.yaml`. */
export function createSpecCheck(api: SandboxApiName): (c: Context) => Promise<void> {
  const { doc } = loadSpec(findSpecFile(api));
  const index = operationIndex(doc);
  return async (c) => {
    const matched = index.match(c.req.method, c.req.path);
    if (!matched) return;
    const result = await validateRequest(doc, matched, c.req.raw);
    if (!result.ok) throw new HttpProblem(400, "VALIDATION_ERROR", result.message, { errors: result.problems });
  };
}
