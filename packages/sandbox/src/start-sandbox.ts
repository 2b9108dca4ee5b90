import { createArrotechSandbox } from "./apis/arrotech/index.js";
import { createAtlasSandbox } from "./apis/atlas/index.js";
import { createEripSandbox } from "./apis/erip/index.js";
import { createEudrSandbox } from "./apis/eudr/index.js";
import { createImsSandbox } from "./apis/ims/index.js";
import { runSandbox, type RunningSandbox, type SandboxFactory, type StartSandboxOptions } from "./framework/run-sandbox.js";
import type { SandboxApis } from "./sandbox-apis.js";
import type { SandboxApiName } from "./types.js";

/** The factory of each API's sandbox. */
export const SANDBOX_FACTORIES: { readonly [K in SandboxApiName]: SandboxFactory<SandboxApis[K]> } = {
  ims: createImsSandbox,
  eudr: createEudrSandbox,
  atlas: createAtlasSandbox,
  arrotech: createArrotechSandbox,
  erip: createEripSandbox,
};

/**
 * Starts the sandboxes of `apis` (default: all five) on free loopback ports.
 *
 * @example
 * const sandbox = await startSandbox({ apis: ["atlas"] });
 * await fetch(`${sandbox.urls.atlas.api}/v1/device/health`, { headers: { "X-Api-Key": key } });
 * sandbox.faults("atlas").inject({ route: "POST /v1/transaction/sale", statuses: [503], retryAfter: "1" });
 * await sandbox.stop();
 */
export function startSandbox<const A extends SandboxApiName = SandboxApiName>(options: StartSandboxOptions<A> = {}): Promise<RunningSandbox<A>> {
  // Same sandboxes, typed through the factory table; TS cannot reduce that to RunningApis<A> for a generic A.
  return runSandbox(SANDBOX_FACTORIES, options) as Promise<RunningSandbox<A>>;
}
