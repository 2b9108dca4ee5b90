import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { atlasError } from "./problem.js";
import { randomToken } from "./credential-store.js";
import type { AtlasPrincipal, AuthOutcome, PresentedCredential } from "./authenticate.js";
import type { AtlasState } from "./state.js";

/** One message of `/v1/events` (the spec's `EventMessage`). */
export interface AtlasEvent {
  readonly type: "transaction.completed" | "device.status" | "display.updated" | "settlement.completed";
  readonly id: string;
  readonly createdAt: string;
  readonly data: unknown;
}

/** The `/v1/events` WebSocket endpoint and the merchant-scoped event bus behind it. */
export interface EventHub {
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Pushes an event to every connection of the merchant. */
  publish(merchantId: string, type: AtlasEvent["type"], data: unknown): AtlasEvent;
  /** Open connections. */
  connections(): number;
  /** Cuts every open connection at the TCP level (no close frame), as a crashed server or load balancer would; returns how many. */
  drop(): number;
  close(): void;
}

function rejectUpgrade(socket: Duplex, status: number, reason: string, body: object, extra = ""): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}Connection: close\r\n\r\n${text}`,
  );
}

/**
 * Creates the hub: an upgrade is authenticated once (X-Api-Key or Authorization: Bearer on the
 * upgrade request, or `?apiKey=` for clients that cannot set headers), audited by fingerprint,
 * and then greeted with the terminal's `device.status`.
 */
export function createEventHub(deps: {
  readonly state: AtlasState;
  readonly authenticate: (presented: PresentedCredential) => Promise<AuthOutcome>;
  readonly deviceStatus: (principal: AtlasPrincipal) => unknown;
}): EventHub {
  const wss = new WebSocketServer({ noServer: true });
  const byMerchant = new Map<string, Set<WebSocket>>();
  const event = (type: AtlasEvent["type"], data: unknown): AtlasEvent => ({ type, id: `evt_${randomToken(14)}`, createdAt: deps.state.nowIso(), data });

  const audit = (request: IncomingMessage, status: number, scheme: "apiKey" | "bearer" | "none", fingerprint: string, terminalId?: string) => {
    deps.state.auditLog.push({
      at: deps.state.nowIso(),
      method: request.method ?? "GET",
      path: new URL(request.url ?? "/", "http://sandbox.invalid").pathname,
      status,
      scheme,
      fingerprint,
      ip: request.socket.remoteAddress ?? "unknown",
      ...(terminalId ? { terminalId } : {}),
    });
  };

  return {
    upgrade(request, socket, head) {
      void (async () => {
        const url = new URL(request.url ?? "/", "http://sandbox.invalid");
        if (url.pathname !== "/v1/events") {
          rejectUpgrade(socket, 404, "Not Found", atlasError("NOT_FOUND", `No WebSocket endpoint at ${url.pathname}.`));
          return;
        }
        const header = (name: string): string | undefined => {
          const value = request.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const headerKey = header("x-api-key");
        const queryKey = url.searchParams.get("apiKey") ?? undefined;
        const authorization = header("authorization");
        const apiKey = headerKey ?? queryKey;
        const conflicting = headerKey !== undefined && queryKey !== undefined && headerKey !== queryKey;
        const outcome = conflicting
          ? await deps.authenticate({ apiKey: headerKey, authorization: "conflict" })
          : await deps.authenticate({ apiKey, authorization });
        if (!outcome.ok) {
          audit(request, outcome.status, outcome.scheme, outcome.fingerprint);
          rejectUpgrade(
            socket,
            outcome.status,
            outcome.status === 400 ? "Bad Request" : "Unauthorized",
            atlasError(outcome.code, outcome.message),
            outcome.status === 401 ? 'WWW-Authenticate: Bearer realm="atlas"\r\n' : "",
          );
          return;
        }
        const { principal } = outcome;
        wss.handleUpgrade(request, socket, head, (ws) => {
          audit(request, 101, principal.scheme, principal.fingerprint, principal.terminalId);
          deps.state.counters.webSocketConnections += 1;
          let set = byMerchant.get(principal.merchantId);
          if (!set) byMerchant.set(principal.merchantId, (set = new Set()));
          set.add(ws);
          ws.on("close", () => set?.delete(ws));
          ws.on("error", () => ws.terminate());
          ws.send(JSON.stringify(event("device.status", deps.deviceStatus(principal))));
        });
      })().catch(() => socket.destroy());
    },
    publish(merchantId, type, data) {
      const message = event(type, data);
      const text = JSON.stringify(message);
      for (const ws of byMerchant.get(merchantId) ?? []) if (ws.readyState === ws.OPEN) ws.send(text);
      return message;
    },
    connections() {
      return wss.clients.size;
    },
    drop() {
      const open = [...wss.clients];
      for (const ws of open) ws.terminate();
      return open.length;
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
