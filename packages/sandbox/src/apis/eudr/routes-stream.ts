/**
 * `GET /sync/logs/stream`: the integration's sync log as Server-Sent Events, oldest first. Each
 * entry is one `sync-log` event whose id is its position (1, 2, ...); a `Last-Event-ID` resumes
 * after it. The stream opens with `retry: 1000`, then sends the entries there are and ends.
 * `control.cutSyncLogStream(n)` makes the next connection break off in the middle of event n + 1.
 */
import type { Hono, MiddlewareHandler } from "hono";
import type { EudrEnv } from "./env.js";
import type { EudrScope } from "./scopes.js";

/** Connections to cut, in order: each is the number of whole events sent before the cut. */
export interface StreamCuts {
  readonly pending: number[];
}

/** Mounts `/sync/logs/stream`. */
export function registerStreamRoutes(app: Hono<EudrEnv>, deps: { readonly guard: (scope: EudrScope) => MiddlewareHandler<EudrEnv>; readonly cuts: StreamCuts }): void {
  app.get("/sync/logs/stream", deps.guard("integration:sync:read"), (c) => {
    const logs = c.get("auth").data.logs;
    const last = Number.parseInt(c.req.header("last-event-id") ?? "0", 10);
    const from = Number.isSafeInteger(last) && last > 0 ? last : 0;
    const cut = deps.cuts.pending.shift();
    const chunks: string[] = ["retry: 1000\n\n", ": sync log stream\n\n"];
    for (let index = from; index < logs.length; index++) {
      const event = `id: ${index + 1}\nevent: sync-log\ndata: ${JSON.stringify(logs[index])}\n\n`;
      if (cut !== undefined && index - from === cut) {
        // Half an event, then the connection breaks off.
        chunks.push(event.slice(0, Math.floor(event.length / 2)));
        break;
      }
      chunks.push(event);
    }
    const broken = cut !== undefined && chunks.length - 2 > cut;
    const encoder = new TextEncoder();
    let next = 0;
    // One chunk per pull. A cut half-closes the socket once every chunk before it is written
    // (`end` flushes them first), so the client reads up to the middle of the event, then loses
    // the connection with the chunked body unfinished.
    const socket = c.env.incoming.socket;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks[next++];
        if (chunk !== undefined) return controller.enqueue(encoder.encode(chunk));
        if (!broken) return controller.close();
        return new Promise<void>((resolve) => {
          socket.once("close", () => {
            controller.error(new Error("sandbox: connection cut mid-event"));
            resolve();
          });
          socket.end();
        });
      },
    });
    return new Response(body, { status: 200, headers: { "content-type": "text/event-stream", "cache-control": "no-cache", "x-request-id": c.get("requestId") } });
  });
}
