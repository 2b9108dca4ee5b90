/**
 * The pieces every loopback test server shares: a movable clock, arrivals and gates to wait on
 * (never on timers), a plain HTTP server on 127.0.0.1, JSON answers, and an RS256 JWT signer.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { SignJWT, generateKeyPair, jwtVerify, type CryptoKey, type JWTPayload } from "jose";
import type { Clock } from "../../../src/index.js";

/** Where every test's clock starts: a whole second, so JWT `iat`/`exp` fall on exact values. */
export const START = Date.parse("2026-04-22T14:00:00Z");

export interface MovableClock extends Clock {
  set(ms: number): void;
  advance(ms: number): void;
}

export function movableClock(start = START): MovableClock {
  let now = start;
  return {
    now: () => now,
    set: (ms) => void (now = ms),
    advance: (ms) => void (now += ms),
  };
}

// --- events instead of timers ----------------------------------------------------------------

/** Counts arrivals and resolves `until(n)` once `n` have happened. */
export interface Arrivals {
  readonly count: number;
  until(n: number): Promise<void>;
}

export function createArrivals(): Arrivals & { bump(): void } {
  let count = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    get count() {
      return count;
    },
    bump() {
      count += 1;
      for (const waiter of waiters.filter((w) => w.n <= count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    until(n) {
      return count >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
    },
  };
}

/** Holds answers until released: `hold()` returns the release. */
export interface Gate {
  hold(): () => void;
  pass(): Promise<void>;
}

export function createGate(): Gate {
  let held: Promise<void> | undefined;
  return {
    hold() {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      held = gate;
      return () => {
        if (held === gate) held = undefined;
        release();
      };
    },
    pass: () => held ?? Promise.resolve(),
  };
}

/** A log of hook events a test can wait on: `until(n)` resolves once `n` were pushed. */
export interface EventLog<E> {
  readonly events: E[];
  readonly push: (event: E) => void;
  until(n: number): Promise<void>;
}

export function eventLog<E>(): EventLog<E> {
  const events: E[] = [];
  const arrivals = createArrivals();
  return {
    events,
    push: (event) => {
      events.push(event);
      arrivals.bump();
    },
    until: (n) => arrivals.until(n),
  };
}

// --- plain loopback server -----------------------------------------------------------------

export interface Loopback {
  readonly url: string;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

export async function startServer(handler: Handler): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString("utf8"))).catch((error: unknown) => {
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

// --- JWT signing ---------------------------------------------------------------------------

export interface Signer {
  /** Signs with `iat` = `now` in whole seconds and `exp` = `iat + lifetimeSeconds` (none when undefined). */
  sign(claims: JWTPayload, lifetimeSeconds: number | undefined, now: number): Promise<string>;
  /** Verifies the signature and issuer, and `exp` at `now`. */
  verify(token: string, now: number): Promise<JWTPayload>;
}

export async function createSigner(issuer = "https://auth.test/"): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return {
    async sign(claims, lifetimeSeconds, now) {
      const iat = Math.floor(now / 1000);
      let jwt = new SignJWT(claims).setProtectedHeader({ alg: "RS256", typ: "JWT" }).setIssuer(issuer).setIssuedAt(iat).setJti(randomBytes(8).toString("hex"));
      if (lifetimeSeconds !== undefined) jwt = jwt.setExpirationTime(iat + lifetimeSeconds);
      return jwt.sign(privateKey as CryptoKey);
    },
    async verify(token, now) {
      const { payload } = await jwtVerify(token, publicKey as CryptoKey, { issuer, currentDate: new Date(now) });
      return payload;
    },
  };
}

/** The claims of a JWT, unverified (what the API server looks at before checking the signature). */
export function claimsOf(token: string): JWTPayload | undefined {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as JWTPayload;
  } catch {
    return undefined;
  }
}
