import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request as the server saw it. */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  /** `Date.now()` when the request was read: the server's clock, which a test may fake. */
  readonly at: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string, index: number) => void | Promise<void>;

export interface Loopback {
  readonly url: string;
  readonly requests: Recorded[];
  /** Resolves once the server has read `count` requests (a "request received" event, never a timer). */
  received(count: number): Promise<Recorded>;
  close(): Promise<void>;
}

/** Starts a real HTTP server on 127.0.0.1, port 0, recording every request. */
export async function startLoopback(handler: Handler): Promise<Loopback> {
  const requests: Recorded[] = [];
  const waiters: { count: number; resolve: (request: Recorded) => void }[] = [];
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const index = requests.length;
    const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, at: Date.now() };
    requests.push(recorded);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(requests[waiter.count - 1] as Recorded);
    }
    try {
      await handler(req, res, body, index);
    } catch (error) {
      if (!res.headersSent) res.writeHead(599).end(String(error));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    received: (count) =>
      requests.length >= count ? Promise.resolve(requests[count - 1] as Recorded) : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends a JSON response. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}
