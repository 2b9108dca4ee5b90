import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { defaultCodeForStatus, errorBody, errorResponse } from "./framework/errors.js";
import { parseRoute, type RouteMatcher } from "./framework/route-template.js";
import type { FaultController, FaultRule } from "./types.js";

/** A fault rule as it is being applied to one request. */
export interface ActiveFault {
  readonly rule: FaultRule;
  /** 0-based index of this use of the rule. */
  readonly use: number;
}

/** A `FaultController` that the framework can also ask which rule applies to a request. */
export interface FaultRegistry extends FaultController {
  /** Consumes one use of the first rule matching the request, if any. */
  take(method: string, path: string): ActiveFault | undefined;
  /** Rules still active, with uses left. */
  list(): ReadonlyArray<{ readonly rule: FaultRule; readonly remaining: number }>;
}

interface Entry {
  readonly rule: FaultRule;
  readonly matcher: RouteMatcher;
  used: number;
  readonly limit: number;
}

/** Throws a `TypeError` naming the field when `rule` is not a usable fault rule. */
export function assertFaultRule(rule: FaultRule): void {
  if (typeof rule !== "object" || rule === null) throw new TypeError(`a fault rule must be an object`);
  if (typeof rule.route !== "string") throw new TypeError(`"route" must be a string like "POST /v1/transaction/sale"`);
  parseRoute(rule.route);
  if (rule.latencyMs !== undefined && !(Number.isFinite(rule.latencyMs) && rule.latencyMs >= 0)) {
    throw new TypeError(`"latencyMs" must be a number >= 0`);
  }
  if (rule.statuses !== undefined) {
    if (!Array.isArray(rule.statuses) || rule.statuses.length === 0) throw new TypeError(`"statuses" must be a non-empty array`);
    for (const s of rule.statuses) {
      if (!Number.isInteger(s) || s < 100 || s > 599) throw new TypeError(`"statuses" must hold HTTP statuses (100-599)`);
    }
  }
  if (rule.retryAfter !== undefined && typeof rule.retryAfter !== "string") throw new TypeError(`"retryAfter" must be a string`);
  if (rule.reset !== undefined && rule.reset !== "before" && rule.reset !== "after") {
    throw new TypeError(`"reset" must be "before" or "after"`);
  }
  if (rule.malformed !== undefined) {
    const m = rule.malformed;
    if (typeof m !== "object" || m === null || !Number.isInteger(m.status) || typeof m.contentType !== "string" || typeof m.body !== "string") {
      throw new TypeError(`"malformed" must be { status: number, contentType: string, body: string }`);
    }
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0)) throw new TypeError(`"times" must be an integer > 0`);
}

/** Creates an empty fault registry for one API. */
export function createFaultRegistry(): FaultRegistry {
  let entries: Entry[] = [];
  return {
    inject(rule) {
      assertFaultRule(rule);
      const limit = rule.times ?? rule.statuses?.length ?? 1;
      entries.push({ rule, matcher: parseRoute(rule.route), used: 0, limit });
    },
    clear() {
      entries = [];
    },
    take(method, path) {
      const entry = entries.find((e) => e.used < e.limit && e.matcher.matches(method, path));
      if (!entry) return undefined;
      const use = entry.used;
      entry.used += 1;
      if (entry.used >= entry.limit) entries = entries.filter((e) => e !== entry);
      return { rule: entry.rule, use };
    },
    list() {
      return entries.map((e) => ({ rule: e.rule, remaining: e.limit - e.used }));
    },
  };
}

/** Status of an injected-status fault for this use, if the rule has statuses. */
function injectedStatus(fault: ActiveFault): number | undefined {
  const statuses = fault.rule.statuses;
  if (!statuses || statuses.length === 0) return undefined;
  return statuses[fault.use % statuses.length];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs one HTTP request through a fault (if any) around `handle`: latency, then a socket reset
 * before handling, an injected status, a malformed body, or the real handler — followed, for
 * `reset: "after"`, by destroying the socket once the handler's response is complete (the handler
 * committed its effects, the client never sees the answer).
 */
export async function applyFault(
  fault: ActiveFault | undefined,
  socket: Duplex,
  handle: () => Promise<Response>,
): Promise<Response> {
  if (!fault) return handle();
  const { rule } = fault;
  if (rule.latencyMs) await sleep(rule.latencyMs);
  if (rule.reset === "before") {
    socket.destroy();
    return new Response(null, { status: 204 });
  }
  const status = injectedStatus(fault);
  if (status !== undefined) {
    const headers: Record<string, string> = { "x-sandbox-fault": "status" };
    if (rule.retryAfter !== undefined) headers["retry-after"] = rule.retryAfter;
    return errorResponse(status, errorBody(defaultCodeForStatus(status), `Injected fault: ${status}.`), headers);
  }
  if (rule.malformed) {
    return new Response(rule.malformed.body, {
      status: rule.malformed.status,
      headers: { "content-type": rule.malformed.contentType, "x-sandbox-fault": "malformed" },
    });
  }
  const response = await handle();
  if (rule.reset === "after") {
    // Let the handler finish producing its body: its effects are committed, then drop the answer.
    await response.arrayBuffer().catch(() => undefined);
    socket.destroy();
    return new Response(null, { status: 204 });
  }
  return response;
}

/**
 * Applies a fault to a WebSocket upgrade request. Returns true when the fault answered the
 * upgrade (reset or injected status) and the upgrade must not proceed.
 */
export async function applyUpgradeFault(fault: ActiveFault | undefined, _request: IncomingMessage, socket: Duplex): Promise<boolean> {
  if (!fault) return false;
  const { rule } = fault;
  if (rule.latencyMs) await sleep(rule.latencyMs);
  if (rule.reset === "before") {
    socket.destroy();
    return true;
  }
  const status = injectedStatus(fault);
  if (status !== undefined) {
    const body = JSON.stringify(errorBody(defaultCodeForStatus(status), `Injected fault: ${status}.`));
    const retry = rule.retryAfter !== undefined ? `Retry-After: ${rule.retryAfter}\r\n` : "";
    socket.end(
      `HTTP/1.1 ${status} Injected\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${retry}Connection: close\r\n\r\n${body}`,
    );
    return true;
  }
  return false;
}
