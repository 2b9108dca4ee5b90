/**
 * A real HTTP server on 127.0.0.1 for integration tests: it records every request (headers, body,
 * socket), lets a test wait for the n-th one, and answers through the test's handler. Nothing here
 * waits on a timer: tests wait on arrivals and socket events.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach } from "vitest";
import { createArrivals } from "./events.js";

/** One request as the server saw it. */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
  readonly socket: Socket;
  /** `Date.now()` when the request was read: the server's clock, which a test may fake. */
  readonly at: number;
}

/** Answers one request, its body read; `index` is its place among the server's requests, from 0. */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string, index: number) => void | Promise<void>;

/**
 * A server on loopback and what it recorded: the raw requests (`Recorded`), or the records of a
 * server built on one (a token endpoint's token requests, an API's checked requests).
 */
export interface Loopback<R = Recorded> {
  readonly url: string;
  /** Every request received so far, in order. */
  readonly requests: R[];
  /** Resolves with the `n`-th request (from 1) once it has arrived: an event, never a timer. */
  until(n: number): Promise<R>;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0, recording every request before `handler` answers it. */
export async function startLoopback(handler: Handler): Promise<Loopback> {
  const requests: Recorded[] = [];
  const arrivals = createArrivals();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const index = requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, socket: req.socket, at: Date.now() }) - 1;
      arrivals.bump();
      // A handler that throws (or rejects) answers 599 with the error, so the test sees it.
      const answer = async (): Promise<void> => handler(req, res, body, index);
      answer().catch((error: unknown) => {
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
    until: (n) => arrivals.until(n).then(() => requests[n - 1] as Recorded),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The servers of one test file, each closed after the test that started it. */
export interface Loopbacks {
  /** Starts a loopback server, closed after the test. */
  server(handler: Handler): Promise<Loopback>;
  /** Closes `server` after the test (a server built on a loopback one: a token endpoint, an API). */
  track<T extends { close(): Promise<void> }>(server: T): T;
}

/** Registers an `afterEach` that closes every server started or tracked through what it returns. */
export function useLoopbacks(): Loopbacks {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((server) => server.close()));
  });
  const track = <T extends { close(): Promise<void> }>(server: T): T => {
    open.push(server);
    return server;
  };
  return { server: async (handler) => track(await startLoopback(handler)), track };
}

/** Sends a JSON answer with its length. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** A fetcher that sends every request to `target` instead (same path and query): a production host, served by loopback. */
export function forwardTo(target: { readonly url: string }): (url: string, init: RequestInit) => Promise<Response> {
  return (url, init) => {
    const parsed = new URL(url);
    return fetch(`${target.url}${parsed.pathname}${parsed.search}`, init);
  };
}

/** Resolves when `socket` has closed (at once if it already has). */
export function closed(socket: Socket): Promise<void> {
  return socket.destroyed && socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once("close", () => resolve()));
}
