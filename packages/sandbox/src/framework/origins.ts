import type { SandboxApiName } from "../types.js";

/** Every API the sandbox serves, in start order. */
export const SANDBOX_API_NAMES: readonly SandboxApiName[] = ["ims", "eudr", "atlas", "arrotech", "erip"];

/**
 * Origin names bound for each API before its factory runs (`api` first). A factory may return
 * apps for any subset of these; an origin without an app answers `404 NOT_FOUND`. An API that
 * needs another origin gets it by adding its name here.
 */
export const SANDBOX_ORIGINS = {
  ims: ["api", "auth"],
  eudr: ["api"],
  atlas: ["api", "auth"],
  arrotech: ["api", "hub"],
  erip: ["api"],
} as const satisfies Readonly<Record<SandboxApiName, readonly ["api", ...string[]]>>;

/** Origin names of one API, e.g. `"api" | "auth"` for Atlas. */
export type SandboxOriginName<A extends SandboxApiName> = (typeof SANDBOX_ORIGINS)[A][number];

/** True when `name` is one of the five API names. */
export function isSandboxApiName(name: string): name is SandboxApiName {
  return (SANDBOX_API_NAMES as readonly string[]).includes(name);
}
