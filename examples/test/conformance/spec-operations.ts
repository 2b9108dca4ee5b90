/** The operations a spec file declares, read from the YAML itself (not from generated code). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./prism-server.js";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export type ApiName = "ims" | "eudr" | "atlas" | "arrotech" | "erip";

export const specFile = (api: ApiName): string => join(repoRoot, "specs", `${api}.yaml`);

/** `"METHOD /path"` of every operation in `specs/<api>.yaml`. */
export function specOperations(api: ApiName): string[] {
  const doc = parse(readFileSync(specFile(api), "utf8")) as { paths?: Record<string, Record<string, unknown>> };
  const keys: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) if (item[method] !== undefined) keys.push(`${method.toUpperCase()} ${path}`);
  }
  return keys.sort();
}
