import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request exactly as the loopback server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Raw request target: path and query string, undecoded. */
  readonly target: string;
  /** Path part of `target`, undecoded. */
  readonly path: string;
  /** Query parameters of `target`, decoded, in order. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Header names and values as sent on the wire, in order (names keep their case). */
  readonly rawHeaders: ReadonlyArray<readonly [string, string]>;
  /** Body bytes as received. */
  readonly body: Buffer;
  /** Every value of one header (case-insensitive), in order. */
  header(name: string): string[];
  /** The body as UTF-8 text. */
  text(): string;
}

/** One scripted answer. A JSON `body` is serialized with `content-type: application/json`. */
export interface Answer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Object or array: sent as JSON; string or bytes: sent as is. */
  readonly body?: unknown;
}

/** Answers a request: a fixed answer, or one computed from the request (e.g. by path). */
export type Script = Answer | ((request: RecordedRequest, index: number) => Answer);

export interface Recorder {
  /** `http://127.0.0.1:<port>`, to pass as `baseUrl`. */
  readonly url: string;
  /** Every request received so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Answers the next requests in order from `answers`; the last one keeps answering once the list is
   * used up (e.g. `[{ status: 503 }, { status: 200, body }]`: first 503, then 200 for every retry).
   */
  answer(...answers: Script[]): void;
  /** Forgets the requests and the script (between tests). */
  reset(): void;
  /**
   * A fetcher for the client under test: the real `fetch`, refusing any URL that is not on this
   * machine's loopback (so a wrong base URL fails loudly instead of reaching the internet), and
   * remembering every URL it was asked for (`fetchedUrls`).
   */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** URLs passed to `fetch`, in order. */
  readonly fetchedUrls: readonly string[];
  close(): Promise<void>;
}

/** A request the script did not expect gets this, so a failing test shows what arrived. */
const UNSCRIPTED: Answer = { status: 599, body: { recorder: "no answer scripted for this request" } };

/**
 * Starts a real HTTP server on 127.0.0.1, port 0, that records every request exactly as received and
 * answers from a per-test script. Real sockets: the client under test uses the real `fetch`.
 */
export async function startRecorder(): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const fetchedUrls: string[] = [];
  let script: Script[] = [];
  let answered = 0;
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = record(req, Buffer.concat(chunks));
      const index = requests.length;
      requests.push(recorded);
      const next = script.length === 0 ? UNSCRIPTED : script[Math.min(answered, script.length - 1)]!;
      answered += 1;
      let answer: Answer;
      try {
        answer = typeof next === "function" ? next(recorded, index) : next;
      } catch (error) {
        answer = { status: 599, body: { recorder: `script threw: ${String(error)}` } };
      }
      send(res, answer);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    fetchedUrls,
    answer(...answers) {
      script = answers;
      answered = 0;
    },
    reset() {
      requests.length = 0;
      fetchedUrls.length = 0;
      script = [];
      answered = 0;
    },
    async fetch(input, init) {
      const target = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      fetchedUrls.push(target);
      const host = new URL(target).hostname;
      if (host !== "127.0.0.1" && host !== "localhost" && host !== "[::1]") {
        throw new TypeError(`recorder: refusing to fetch ${target}: tests only reach the loopback recorder at ${url}`);
      }
      return fetch(input, init);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function record(req: IncomingMessage, body: Buffer): RecordedRequest {
  const target = req.url ?? "";
  const rawHeaders: Array<readonly [string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const queryIndex = target.indexOf("?");
  const path = queryIndex === -1 ? target : target.slice(0, queryIndex);
  const query = queryIndex === -1 ? [] : [...new URLSearchParams(target.slice(queryIndex + 1))].map(([k, v]) => [k, v] as const);
  return {
    method: req.method ?? "",
    target,
    path,
    query,
    rawHeaders,
    body,
    header: (name) => rawHeaders.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v),
    text: () => body.toString("utf8"),
  };
}

function send(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = { ...answer.headers };
  let payload: Buffer;
  if (answer.body === undefined) payload = Buffer.alloc(0);
  else if (typeof answer.body === "string") payload = Buffer.from(answer.body, "utf8");
  else if (answer.body instanceof Uint8Array) payload = Buffer.from(answer.body);
  else {
    payload = Buffer.from(JSON.stringify(answer.body), "utf8");
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  }
  headers["content-length"] = String(payload.length);
  res.writeHead(answer.status, headers);
  res.end(payload);
}
