import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { applyUpgradeFault, createFaultRegistry, type FaultRegistry } from "../faults.js";
import type { FactoryApis, RunningApis } from "../sandbox-apis.js";
import type { ApiSandbox, FaultController, FaultRule, SandboxApiName, SandboxApiOptions, SandboxContext } from "../types.js";
import { bindOrigin, type BoundOrigin } from "./bind-origin.js";
import { createClock, type SandboxClock } from "./clock.js";
import { CONTROL_PREFIX } from "./control-routes.js";
import { errorBody } from "./errors.js";
import { createOriginApp } from "./origin-app.js";
import { SANDBOX_API_NAMES, SANDBOX_ORIGINS, type SandboxOriginName } from "./origins.js";

/** An API's sandbox factory: `createAtlasSandbox` and its siblings. */
export type SandboxFactory<S extends ApiSandbox = ApiSandbox> = (ctx: SandboxContext) => S | Promise<S>;

/** Options of `startSandbox`. */
export interface StartSandboxOptions<A extends SandboxApiName = SandboxApiName> {
  /** APIs to start. @default all five */
  readonly apis?: readonly A[];
  /** 0: a free port per origin; N: consecutive ports from N (api order, then origin order). @default 0 */
  readonly port?: number;
  /** Interface to bind. @default "127.0.0.1" */
  readonly host?: string;
  /** Per-API knobs handed to the factories as `ctx.options`. */
  readonly options?: Partial<Record<SandboxApiName, SandboxApiOptions>>;
  /** Real time source under the sandbox clock. @default Date.now */
  readonly now?: () => number;
}

/** Fault control of one API: inject and clear rules, and see what is still armed. */
export interface SandboxFaults extends FaultController {
  list(): ReadonlyArray<{ readonly rule: FaultRule; readonly remaining: number }>;
}

/**
 * A running sandbox: its URLs, the APIs' sandboxes (and their `control`), faults, clock, stop.
 * `S` is what `apis` holds: by default each API's own sandbox, so `apis.atlas.control` is an `AtlasControl`.
 */
export interface RunningSandbox<A extends SandboxApiName = SandboxApiName, S extends { readonly [K in A]: ApiSandbox } = RunningApis<A>> {
  /** Base URL of every origin, e.g. `urls.atlas.api`, `urls.atlas.auth` (no trailing slash). */
  readonly urls: { readonly [K in A]: Readonly<Record<SandboxOriginName<K>, string>> };
  /** What each factory returned (apps, the API's typed `control`, ...). */
  readonly apis: S;
  /** Fault controller of one API (also reachable over HTTP at `/__sandbox/faults`). */
  faults(api: A): SandboxFaults;
  /** Shared clock behind every `ctx.now()` (also at `/__sandbox/clock`). */
  readonly clock: SandboxClock;
  /** Closes every API and server; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the given factories' sandboxes: binds every origin first (so `ctx.origins` is known),
 * then runs each factory and mounts its apps behind CORS, the control endpoints and fault
 * injection (`createOriginApp`).
 */
export async function runSandbox<A extends SandboxApiName, const F extends Readonly<Partial<Record<SandboxApiName, SandboxFactory>>>>(
  factories: F,
  options: StartSandboxOptions<A> = {},
): Promise<RunningSandbox<A, FactoryApis<F, A>>> {
  const apis = (options.apis ?? (SANDBOX_API_NAMES as readonly A[])).filter((api, i, all) => all.indexOf(api) === i);
  const host = options.host ?? "127.0.0.1";
  const basePort = options.port ?? 0;
  if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65535) throw new RangeError(`"port" must be 0 or a TCP port`);
  for (const api of apis) {
    if (!SANDBOX_API_NAMES.includes(api)) throw new TypeError(`"apis" has unknown API ${JSON.stringify(api)}; known: ${SANDBOX_API_NAMES.join(", ")}`);
    if (!factories[api]) throw new TypeError(`no sandbox factory for ${api}`);
  }
  const clock = createClock(options.now);
  const bound: BoundOrigin[] = [];
  const sandboxes: ApiSandbox[] = [];
  const urls: Record<string, Record<string, string>> = {};
  const apiSandboxes: Record<string, ApiSandbox> = {};
  const registries: Record<string, FaultRegistry> = {};
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled(sandboxes.map(async (s) => s.close?.()));
    await Promise.allSettled(bound.map((b) => b.close()));
  };

  try {
    let nextPort = basePort;
    const byApi: Record<string, Record<string, BoundOrigin>> = {};
    for (const api of apis) {
      byApi[api] = {};
      urls[api] = {};
      for (const origin of SANDBOX_ORIGINS[api]) {
        const b = await bindOrigin(host, basePort === 0 ? 0 : nextPort++);
        bound.push(b);
        byApi[api][origin] = b;
        urls[api][origin] = b.url;
      }
    }
    for (const api of apis) {
      const faults = createFaultRegistry();
      registries[api] = faults;
      const ctx: SandboxContext = {
        origins: Object.freeze({ ...urls[api] }),
        faults,
        now: () => clock.now(),
        options: options.options?.[api] ?? {},
      };
      const factory = factories[api] as SandboxFactory;
      const sandbox = await factory(ctx);
      sandboxes.push(sandbox);
      apiSandboxes[api] = sandbox;
      const origins = byApi[api] ?? {};
      for (const name of Object.keys(sandbox.apps)) {
        if (!origins[name]) throw new TypeError(`${api} sandbox returned an app for origin "${name}", which is not bound (see SANDBOX_ORIGINS)`);
      }
      for (const [name, origin] of Object.entries(origins)) {
        const app = createOriginApp(sandbox.apps[name], { faults, clock });
        origin.mount(
          (request, env) => Promise.resolve(app.fetch(request, env)),
          (request: IncomingMessage, socket: Duplex, head: Buffer) => {
            void routeUpgrade(request, socket, head, name === "api" ? sandbox.upgrade : undefined, faults);
          },
        );
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    urls: urls as RunningSandbox<A>["urls"],
    apis: apiSandboxes as FactoryApis<F, A>,
    faults(api) {
      const registry = registries[api];
      if (!registry) throw new TypeError(`"${api}" is not running in this sandbox`);
      return { inject: (rule) => registry.inject(rule), clear: () => registry.clear(), list: () => registry.list() };
    },
    clock,
    stop,
  };
}

async function routeUpgrade(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  upgrade: ApiSandbox["upgrade"],
  faults: FaultRegistry,
): Promise<void> {
  socket.on("error", () => socket.destroy());
  const path = new URL(request.url ?? "/", "http://sandbox.invalid").pathname;
  if (await applyUpgradeFault(faults.take(request.method ?? "GET", path), request, socket)) return;
  if (!upgrade || path.startsWith(CONTROL_PREFIX)) {
    const body = JSON.stringify(errorBody("NOT_FOUND", `No WebSocket endpoint at ${path}.`));
    socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    return;
  }
  upgrade(request, socket, head);
}
