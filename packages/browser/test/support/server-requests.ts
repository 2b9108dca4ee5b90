import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, Server } from "node:http";

/** The requests one loopback server of this process has received so far, as `"GET /authorize"`, in order. */
export interface RequestLog {
  readonly requests: readonly string[];
  stop(): void;
}

/** What Node publishes on `http.server.request.start` (the parts read here). */
interface RequestStart {
  readonly request: IncomingMessage;
  readonly server: Server;
}

/**
 * Records every request that the HTTP server of this process listening at `origin` (e.g. the
 * sandbox's identity server) receives, CORS preflights included, as Node's
 * `http.server.request.start` diagnostics channel reports it before any handler runs: a count
 * kept by the server, whatever the client did.
 */
export function recordRequests(origin: string): RequestLog {
  const port = Number(new URL(origin).port);
  const requests: string[] = [];
  const onStart = (message: unknown): void => {
    const { request, server } = message as RequestStart;
    const address = server.address();
    if (typeof address !== "object" || address === null || address.port !== port) return;
    requests.push(`${request.method ?? "GET"} ${new URL(request.url ?? "/", origin).pathname}`);
  };
  subscribe("http.server.request.start", onStart);
  return { requests, stop: () => unsubscribe("http.server.request.start", onStart) };
}
