/** A handler-side check of a request against its API's spec (for apps that authenticate first). */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { SandboxApiName } from "../types.js";
import { INPUT_VARIABLE, validateRequest } from "../validate.js";
import { HttpProblem } from "./http.js";
import { findSpecFile, loadSpec, operationIndex } from "./spec.js";

/**
 * Returns a check that throws the operation's declared `400` (details `{ errors }`) when the
 * request breaks `specs/<api>.yaml`, and otherwise leaves its `ValidatedInput` for `requestInput`.
 */
export function createSpecCheck(api: SandboxApiName): (c: Context) => Promise<void> {
  const { doc } = loadSpec(findSpecFile(api));
  const index = operationIndex(doc);
  return async (c) => {
    const matched = index.match(c.req.method, c.req.path);
    if (!matched) return;
    const result = await validateRequest(doc, matched, c.req.raw);
    if (!result.ok) throw new HttpProblem(result.status as ContentfulStatusCode, result.code, result.message, { errors: result.problems });
    c.set(INPUT_VARIABLE as never, result.input as never);
  };
}
