/**
 * Loopback servers for the promise tests: a real HTTP server on 127.0.0.1 that logs every request
 * (headers and body) and lets a test wait for the n-th one, and a movable clock. Nothing here
 * waits on a timer: tests wait on arrivals and socket events.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** Where every test's clock starts: a whole second, as HTTP `Date` headers have. */
export const START = Date.parse("2026-04-22T14:00:00Z");

export interface MovableClock {
  now(): number;
  advance(ms: number): void;
}

export function movableClock(start = START): MovableClock {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** One request as the server saw it. */
export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly socket: Socket;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string, seen: Seen) => void | Promise<void>;

export interface Loopback {
  readonly url: string;
  /** Every request received so far, in order. */
  readonly requests: Seen[];
  /** Resolves once `n` requests have arrived (their bodies read). */
  until(n: number): Promise<Seen>;
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const requests: Seen[] = [];
  const waiters: { n: number; resolve: (seen: Seen) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const seen: Seen = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, socket: req.socket };
      requests.push(seen);
      for (const waiter of waiters.filter((w) => w.n <= requests.length)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(requests[waiter.n - 1] as Seen);
      }
      Promise.resolve(handler(req, res, body, seen)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(599);
        res.end(String(error));
      });
    });
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
    until: (n) => (requests.length >= n ? Promise.resolve(requests[n - 1] as Seen) : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** A fetcher that sends every request to `target` instead (same path and query): a production host, served by loopback. */
export function forwardTo(target: Loopback): (url: string, init: RequestInit) => Promise<Response> {
  return (url, init) => {
    const parsed = new URL(url);
    return fetch(`${target.url}${parsed.pathname}${parsed.search}`, init);
  };
}

/** An unsigned JWT (what a client reads before any signature check): header, claims, a dummy signature. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}

/** Resolves when `socket` has closed (at once if it already has). */
export function closed(socket: Socket): Promise<void> {
  return socket.destroyed && socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once("close", () => resolve()));
}
