import type { Middleware } from "openapi-fetch";
import type { MediaType } from "openapi-typescript-helpers";
import type { CredentialKind } from "../auth/credential.js";
import type { ApiDescriptor } from "../spec/descriptor.js";
import { planOf } from "./api-plan.js";
import { redactorOf, runCall, type ClientState } from "./call.js";
import { resolveOptions } from "./options.js";
import { CALL, composeStages, SCOPE, type Stage, type StageClientScope, type Stages } from "./stage.js";
import { PorticoError } from "../errors/portico-error.js";
import type { ClientOptions, ClientSnapshot, PorticoClient, RateLimitInfo, SchemeKinds, ServerVariables } from "./types.js";

const NO_STAGES: readonly Stage[] = [];
const STATE: unique symbol = Symbol("portico.client");
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

interface Instance {
  [STATE]: ClientState;
}

/** One prototype per descriptor and stage list: methods live here, a client instance holds only its state. */
const prototypes = new WeakMap<ApiDescriptor, WeakMap<Stages, object>>();

function stateOf(self: unknown): ClientState {
  const state = (self as Partial<Instance> | undefined)?.[STATE];
  if (!state) throw new TypeError("portico: call client methods on the client (client.GET(...)), not detached.");
  return state;
}

function method(name: string) {
  return function (this: unknown, path: string, init?: Record<string, unknown>) {
    return runCall(stateOf(this), name, path, init);
  };
}

function prototypeFor(descriptor: ApiDescriptor, stages: Stages): object {
  let byStages = prototypes.get(descriptor);
  const known = byStages?.get(stages);
  if (known) return known;
  const proto = {
    ...stages.methods,
    [CALL](this: unknown, method: string, path: string, init?: Record<string, unknown>) {
      return runCall(stateOf(this), method, path, init);
    },
    [SCOPE](this: unknown): StageClientScope {
      const state = stateOf(this);
      return { descriptor, clock: state.config.clock, redact: redactorOf(state) };
    },
    GET: method("GET"),
    PUT: method("PUT"),
    POST: method("POST"),
    DELETE: method("DELETE"),
    OPTIONS: method("OPTIONS"),
    HEAD: method("HEAD"),
    PATCH: method("PATCH"),
    use(this: unknown, ...middleware: Middleware[]): void {
      const state = stateOf(this);
      for (const m of middleware) {
        if (!m) continue;
        if (typeof m !== "object" || !("onRequest" in m || "onResponse" in m || "onError" in m)) {
          throw new TypeError("Middleware must be an object with one of `onRequest()`, `onResponse()` or `onError()`");
        }
        (state.middleware ??= []).push(m);
      }
    },
    eject(this: unknown, ...middleware: Middleware[]): void {
      const state = stateOf(this);
      for (const m of middleware) {
        const i = state.middleware?.indexOf(m) ?? -1;
        if (i !== -1) state.middleware?.splice(i, 1);
      }
    },
    get credits(): number | undefined {
      return stateOf(this).credits;
    },
    get rateLimit(): RateLimitInfo | undefined {
      return stateOf(this).rateLimit;
    },
    toJSON(this: unknown): ClientSnapshot {
      const { config, credits } = stateOf(this);
      return {
        api: descriptor.name,
        baseUrl: config.baseUrl,
        credentials: config.credentials.map((c) => c.fingerprint),
        credits,
      };
    },
    [INSPECT](this: { toJSON(): ClientSnapshot }): ClientSnapshot {
      return this.toJSON();
    },
  };
  if (byStages === undefined) prototypes.set(descriptor, (byStages = new WeakMap()));
  byStages.set(stages, proto);
  return proto;
}

/**
 * Builds a typed client for one API from its generated descriptor and the stages its spec uses
 * (generated factories pass theirs; a hand-written descriptor can pass `allStages`). Options are
 * validated once; a bad option throws `PorticoError("INVALID_OPTIONS")` naming the option and the fix.
 * Methods return `{ data, meta, response }` or `{ error, meta, response? }` and never throw
 * (unless `throwOnError`: with a literal `true`, results are typed as the success branch only).
 *
 * @example
 * const ims = createClient<paths>(imsDescriptor, { baseUrl: "https://api.atrope.dev", auth: bearer(token) });
 * const { data, error, meta } = await ims.GET("/v1/items");
 */
export function createClient<Paths extends {}, Kinds extends CredentialKind = CredentialKind, Media extends MediaType = MediaType>(
  descriptor: ApiDescriptor,
  options: ClientOptions<Kinds, true, SchemeKinds, ServerVariables> & { throwOnError: true },
  stages?: readonly Stage[],
): PorticoClient<Paths, Media, true>;
/**
 * Builds a typed client for one API from its generated descriptor (see the overload above).
 * `Throws` follows `throwOnError` when given explicitly (as the generated factories do).
 */
export function createClient<
  Paths extends {},
  Kinds extends CredentialKind = CredentialKind,
  Media extends MediaType = MediaType,
  Throws extends boolean = boolean,
>(descriptor: ApiDescriptor, options?: ClientOptions<Kinds, Throws, SchemeKinds, ServerVariables>, stages?: readonly Stage[]): PorticoClient<Paths, Media, Throws>;
export function createClient(descriptor: ApiDescriptor, options: ClientOptions = {}, stages: readonly Stage[] = NO_STAGES): PorticoClient<{}> {
  // An object holding the options (plain, null-prototype, frozen, a settings class instance); not
  // null, a primitive, a list, or a collection of them (a Map, URLSearchParams, Headers).
  if (typeof options !== "object" || options === null || Object.prototype.toString.call(options) !== "[object Object]") {
    throw new PorticoError("INVALID_OPTIONS", `Invalid client options for the ${descriptor?.name ?? "API"} client: pass an object such as { baseUrl, auth }, or nothing.`, { option: "" });
  }
  const plan = planOf(descriptor);
  const composed = composeStages(stages);
  const config = resolveOptions(plan, composed, options);
  const client = Object.create(prototypeFor(descriptor, composed)) as Instance;
  const state: ClientState = { config, plan, stages: composed, credits: undefined, rateLimit: undefined, middleware: undefined };
  Object.defineProperty(client, STATE, { value: state });
  return client as unknown as PorticoClient<{}>;
}
