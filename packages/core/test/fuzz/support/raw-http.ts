/**
 * A loopback TCP server that answers every HTTP request with bytes the test chose, as they are:
 * status lines, headers and bodies no `node:http` server would write (lying lengths and encodings,
 * invalid UTF-8, duplicate headers). Each answer is written in full and the connection closed, so
 * a client never waits for bytes that will not come.
 */
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";

export interface RawAnswer {
  readonly status: number;
  /** Header lines as written, in order (duplicates allowed); `content-length` is added unless present. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Uint8Array;
}

export interface RawServer {
  readonly url: string;
  /** The answer every request gets until the next call (a function: by request number since then, from 0). */
  answerWith(answer: RawAnswer | ((index: number) => RawAnswer)): void;
  /** Requests received since the last `answerWith`. */
  readonly received: number;
  close(): Promise<void>;
}

/** Encodes an answer as HTTP/1.1 bytes (`Connection: close`). Header text is written as Latin-1. */
export function rawBytes(answer: RawAnswer): Uint8Array {
  const lines = [`HTTP/1.1 ${answer.status} X`];
  let length = false;
  for (const [name, value] of answer.headers) {
    if (name.toLowerCase() === "content-length") length = true;
    lines.push(`${name}: ${value}`);
  }
  if (!length) lines.push(`content-length: ${answer.body.byteLength}`);
  lines.push("connection: close", "", "");
  const head = Buffer.from(lines.join("\r\n"), "latin1");
  return Buffer.concat([head, answer.body]);
}

export async function startRawServer(): Promise<RawServer> {
  let answer: (index: number) => Uint8Array = () => rawBytes({ status: 500, headers: [], body: new Uint8Array() });
  let received = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffered = Buffer.alloc(0);
    let answered = false;
    socket.on("data", (chunk: Buffer) => {
      if (answered) return;
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      const head = buffered.subarray(0, end).toString("latin1");
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.byteLength < end + 4 + length) return;
      answered = true;
      socket.end(answer(received));
      received += 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answerWith(next) {
      if (typeof next === "function") answer = (index) => rawBytes(next(index));
      else {
        const bytes = rawBytes(next);
        answer = () => bytes;
      }
      received = 0;
    },
    get received() {
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * One raw server for the enclosing `describe`: started before its first test, closed after its
 * last. The returned function gives it to a test.
 */
export function useRawServer(): () => RawServer {
  let server: RawServer | undefined;
  beforeAll(async () => {
    server = await startRawServer();
  });
  afterAll(() => server?.close());
  return () => {
    if (server === undefined) throw new Error("the raw server is started in beforeAll");
    return server;
  };
}
