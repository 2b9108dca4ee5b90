import type { ArrotechSandbox } from "./apis/arrotech/index.js";
import type { AtlasSandbox } from "./apis/atlas/index.js";
import type { EripSandbox } from "./apis/erip/index.js";
import type { EudrSandbox } from "./apis/eudr/index.js";
import type { ImsSandbox } from "./apis/ims/index.js";
import type { ApiSandbox, SandboxApiName } from "./types.js";

/** The sandbox each API's factory returns (apps and a typed `control`), by API name. */
export interface SandboxApis {
  readonly ims: ImsSandbox;
  readonly eudr: EudrSandbox;
  readonly atlas: AtlasSandbox;
  readonly arrotech: ArrotechSandbox;
  readonly erip: EripSandbox;
}

/**
 * `control` of one API's sandbox.
 *
 * @example
 * const atlas: SandboxControl<"atlas"> = sandbox.apis.atlas.control; // AtlasControl
 */
export type SandboxControl<A extends SandboxApiName> = SandboxApis[A]["control"];

/** `sandbox.apis` of a sandbox running `A`: each API's sandbox under its name. */
export type RunningApis<A extends SandboxApiName> = { readonly [K in A]: SandboxApis[K] };

/** What a factory returns, awaited (`ApiSandbox` when `F` is not a factory). */
type SandboxOf<F> = F extends (...args: never[]) => infer R ? (Awaited<R> extends infer S extends ApiSandbox ? S : ApiSandbox) : ApiSandbox;

/** `sandbox.apis` of a sandbox started from an explicit factory table `F` (`runSandbox`). */
export type FactoryApis<F, A extends SandboxApiName> = {
  readonly [K in A]: K extends keyof F ? SandboxOf<NonNullable<F[K]>> : ApiSandbox;
};

