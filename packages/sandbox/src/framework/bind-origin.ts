import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { getRequestListener, type HttpBindings } from "@hono/node-server";

/** One origin's HTTP server, bound before its app exists and mounted afterwards. */
export interface BoundOrigin {
  readonly url: string;
  /** Starts answering requests with `fetch` and upgrades with `upgrade`. */
  mount(fetch: (request: Request, env: HttpBindings) => Promise<Response>, upgrade: UpgradeHandler): void;
  /** Destroys every open connection (upgraded ones too) and closes the server. */
  close(): Promise<void>;
}

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Binds an HTTP server on `host:port` (0: a free port); requests wait until `mount`. */
export async function bindOrigin(host: string, port: number): Promise<BoundOrigin> {
  const server: Server = createServer();
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("sandbox server has no TCP address");
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${address.port}`,
    mount(fetch, upgrade) {
      const listener = getRequestListener((request, env) => fetch(request, env as HttpBindings));
      server.on("request", (incoming, outgoing) => {
        void listener(incoming, outgoing);
      });
      server.on("upgrade", upgrade);
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
