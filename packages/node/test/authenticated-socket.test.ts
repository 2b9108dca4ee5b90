import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket as ServerSocket } from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiKey, type AuthorizeContext, type Credential } from "@portico/core";
import { atlasEvents, type AtlasEventMessage } from "@atlas-softpos/api-client";
import {
  connectEvents,
  connectAuthenticatedSocket,
  PorticoNodeError,
  type AuthenticatedSocket,
  type EventsChannel,
  type SyncStandardSchema,
  type TokenRequestContext,
} from "../src/index.js";
import { recorder } from "./support/events.js";
import { startHttpServer, type LoopbackServer } from "./support/http-server.js";

interface Upgrade {
  readonly authorization?: string;
  readonly apiKey?: string;
  readonly url: string;
}

/** A loopback event stream that authenticates at upgrade, like Atlas's `/v1/events`. */
let server: LoopbackServer;
const wss = new WebSocketServer({ noServer: true });
const validTokens = new Set<string>();
const validKeys = new Set(["sk_test_0123456789abcdefABCD"]);
const upgrades: Upgrade[] = [];
const connections: ServerSocket[] = [];
const accepted = recorder(connections);

function reject(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}

beforeAll(async () => {
  server = await startHttpServer((_request, response) => response.writeHead(404).end());
  server.server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const authorization = request.headers.authorization;
    const apiKey = request.headers["x-api-key"] as string | undefined;
    upgrades.push({ url: request.url ?? "", ...(authorization ? { authorization } : {}), ...(apiKey ? { apiKey } : {}) });
    if (authorization !== undefined && apiKey !== undefined) return reject(socket, 400); // never both
    const ok = apiKey !== undefined ? validKeys.has(apiKey) : validTokens.has(authorization?.replace(/^Bearer /, "") ?? "");
    if (!ok) return reject(socket, 401);
    wss.handleUpgrade(request, socket, head, (ws) => accepted.push(ws));
  });
});
afterEach(() => {
  upgrades.length = 0;
  for (const ws of connections.splice(0)) ws.terminate();
  validTokens.clear();
});
afterAll(async () => {
  wss.close();
  await server.close();
});

interface TestEvent {
  readonly type: string;
  readonly id: string;
  readonly createdAt: string;
  readonly data: unknown;
}

const event = (type: string, n: number): TestEvent => ({
  type,
  id: `evt_${n}`,
  createdAt: new Date(0).toISOString(),
  data: type === "transaction.completed" ? { id: `txn_${n}`, amount: 2500, currency: "NZD" } : { status: "ONLINE" },
});

/** A hand-written channel: any `{ path }` is one, its message type given by the annotation. */
const orders: EventsChannel<TestEvent> = { path: "/v2/orders/stream" };

/** The server's `count`-th accepted connection, once the server has accepted it. */
async function nextConnection(count: number): Promise<ServerSocket> {
  await accepted.until((all) => all.length >= count);
  return connections[count - 1]!;
}

const sockets: AuthenticatedSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

describe("connectEvents", () => {
  it("connects to the generated channel's path with X-Api-Key only and delivers its typed messages; bad messages are reported, not fatal", async () => {
    const received = recorder<AtlasEventMessage>();
    const amounts: number[] = [];
    const invalid: PorticoNodeError[] = [];
    const socket = connectEvents(atlasEvents, {
      baseUrl: server.url,
      apiKey: "sk_test_0123456789abcdefABCD",
      onEvent: (e) => {
        // Typed by the channel: the spec's union, narrowed on `type`.
        if (e.type === "transaction.completed") amounts.push(e.data.amount);
        received.push(e);
      },
      onInvalidMessage: (error) => invalid.push(error),
    });
    sockets.push(socket);
    await socket.opened();
    expect(upgrades).toEqual([{ url: atlasEvents.path, apiKey: "sk_test_0123456789abcdefABCD" }]);

    const ws = await nextConnection(1);
    ws.send(JSON.stringify(event("transaction.completed", 1)));
    ws.send("{not json");
    ws.send(JSON.stringify(["not", "an", "object"]));
    ws.send(JSON.stringify(event("device.status", 2)));
    await received.until((events) => events.length === 2); // the two bad messages came before the second event
    expect(received.items.map((e) => e.type)).toEqual(["transaction.completed", "device.status"]);
    expect(amounts).toEqual([2500]);
    expect(invalid.map((error) => error.code)).toEqual(["INVALID_MESSAGE", "INVALID_MESSAGE"]);
    expect(socket.connected).toBe(true);
  });

  it("checks each message with `validate` (a type guard or a Standard Schema) when given", async () => {
    const isEvent = (value: unknown): value is TestEvent =>
      typeof value === "object" && value !== null && typeof (value as TestEvent).type === "string" && typeof (value as TestEvent).id === "string";
    const schema: SyncStandardSchema<TestEvent> = {
      "~standard": { validate: (value) => (isEvent(value) ? { value } : { issues: [{ message: "not an event" }] }) },
    };
    for (const [index, validate] of [isEvent, schema].entries()) {
      const received = recorder<string>();
      const invalid: string[] = [];
      const socket = connectEvents(orders, {
        baseUrl: server.url,
        apiKey: "sk_test_0123456789abcdefABCD",
        validate,
        reconnect: false,
        onEvent: (e) => received.push(e.id),
        onInvalidMessage: (error) => invalid.push(error.message),
      });
      sockets.push(socket);
      await socket.opened();
      const ws = await nextConnection(index + 1);
      ws.send(JSON.stringify({ hello: "no type", secret: "sk_live_do_not_echo" }));
      ws.send(JSON.stringify(event("device.status", 1)));
      await received.until((ids) => ids.length === 1);
      expect(received.items).toEqual(["evt_1"]);
      expect(invalid).toHaveLength(1);
      expect(invalid[0]).toMatch(/does not match the event schema/);
      expect(invalid[0]).not.toContain("sk_live_do_not_echo"); // the message's content is never quoted
      socket.close();
    }
  });

  it("sends a bearer token to the channel's path under the base URL, and survives a server-side disconnect with a freshly obtained token", async () => {
    const asked: TokenRequestContext[] = [];
    let minted = 0;
    const received = recorder<string>();
    const opens: number[] = [];
    const socket = connectEvents(orders, {
      baseUrl: `${server.url}/`,
      getToken: (context) => {
        asked.push(context);
        const token = `jwt-${++minted}`;
        validTokens.add(token);
        return token;
      },
      reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
      onOpen: ({ attempt }) => opens.push(attempt),
      onEvent: (e) => received.push(e.id),
    });
    sockets.push(socket);
    await socket.opened();
    (await nextConnection(1)).send(JSON.stringify(event("device.status", 1)));
    await received.until((ids) => ids.length === 1);
    expect(received.items).toEqual(["evt_1"]);

    validTokens.delete("jwt-1"); // the first token has expired server-side...
    connections[0]!.close(1001, "going away"); // ...and the server drops the connection
    const second = await nextConnection(2);
    second.send(JSON.stringify(event("device.status", 2)));
    await received.until((ids) => ids.length === 2);
    expect(received.items).toEqual(["evt_1", "evt_2"]);

    expect(upgrades.map((u) => u.url)).toEqual(["/v2/orders/stream", "/v2/orders/stream"]);
    expect(upgrades.map((u) => u.authorization)).toEqual(["Bearer jwt-1", "Bearer jwt-2"]);
    expect(upgrades.every((u) => u.apiKey === undefined)).toBe(true);
    expect(asked.map((c) => c.reason)).toEqual(["connect", "reconnect"]);
    expect(opens).toEqual([0, 1]);
  });

  it("after a 401 on upgrade, invalidates the credential and reconnects with a refreshed token", async () => {
    let current = "stale-token"; // not in validTokens: the server answers 401
    const invalidated: unknown[] = [];
    const credential: Credential<"bearer"> = {
      kind: "bearer",
      fingerprint: "oauth2:cli_test",
      authorize: () => ({ secret: current, handle: current }),
      invalidate: (handle) => {
        invalidated.push(handle);
        current = "refreshed-token";
        validTokens.add(current);
        return true;
      },
      toJSON: () => ({ kind: "bearer", fingerprint: "oauth2:cli_test" }),
    };
    const errors: PorticoNodeError[] = [];
    const socket = connectEvents(atlasEvents, {
      baseUrl: server.url,
      credential,
      reconnect: { baseDelayMs: 50 },
      onEvent: () => {},
      onError: (error) => errors.push(error),
    });
    sockets.push(socket);
    await socket.opened();
    expect(invalidated).toEqual(["stale-token"]);
    expect(upgrades.map((u) => u.authorization)).toEqual(["Bearer stale-token", "Bearer refreshed-token"]);
    expect(errors[0]?.status).toBe(401);
    expect(JSON.stringify(errors)).not.toContain("stale-token");
  });

  it("keeps a refused API key out of every error", async () => {
    const wrong = "sk_test_this_key_is_refused_000000";
    const errors: PorticoNodeError[] = [];
    const closes: { status?: number }[] = [];
    const socket = connectEvents(atlasEvents, {
      baseUrl: server.url,
      apiKey: wrong,
      reconnect: { baseDelayMs: 50, maxAttempts: 1 },
      onEvent: () => {},
      onError: (error) => errors.push(error),
      onClose: (close) => closes.push(close),
    });
    sockets.push(socket);
    const failure = await socket.opened().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PorticoNodeError);
    expect(errors.map((error) => error.status ?? error.code)).toEqual([401, 401, "WEBSOCKET_ERROR"]);
    expect(closes.map((close) => close.status)).toEqual([401, 401]);
    const text = [failure, ...errors].map((error) => `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`).join("\n");
    expect(text).not.toContain(wrong);
  });

  it("refuses a channel without a path, and a missing base URL, before connecting", () => {
    const options = { baseUrl: server.url, apiKey: "sk_test_0123456789abcdefABCD", onEvent: () => {} };
    for (const channel of [undefined, {}, { path: "" }, { path: 7 }]) {
      expect(() => connectEvents(channel as never, options)).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS", message: expect.stringContaining("path") }));
    }
    expect(() => connectEvents(orders, { ...options, baseUrl: undefined as never })).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    expect(() => connectEvents(orders, { ...options, baseUrl: "not a url" })).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    expect(upgrades).toHaveLength(0);
  });
});

describe("connectAuthenticatedSocket", () => {
  it("refuses two credentials at once, a credential header in `headers`, and credentials of no header scheme", () => {
    expect(() =>
      connectAuthenticatedSocket({ url: server.url, apiKey: "k", getToken: () => "t", onMessage: () => {} } as never),
    ).toThrow(expect.objectContaining({ code: "CREDENTIAL_CONFLICT" }));
    expect(() =>
      connectAuthenticatedSocket({ url: server.url, apiKey: "sk_test_x", headers: { Authorization: "Bearer t" }, onMessage: () => {} }),
    ).toThrow(expect.objectContaining({ code: "CREDENTIAL_CONFLICT", message: expect.stringContaining("Authorization") }));
    expect(() => connectAuthenticatedSocket({ url: server.url, getToken: () => "t", headers: { "x-api-key": "k" }, onMessage: () => {} })).toThrow(
      expect.objectContaining({ code: "CREDENTIAL_CONFLICT" }),
    );
    for (const kind of ["none", "basic", "mutualTLS"] as const) {
      const other = { kind, fingerprint: kind, authorize: () => ({}), toJSON: () => ({ kind, fingerprint: kind }) };
      expect(() => connectAuthenticatedSocket({ url: server.url, credential: other as never, onMessage: () => {} })).toThrow(
        expect.objectContaining({ code: "CREDENTIAL_CONFLICT", message: expect.stringContaining(`a ${kind} credential`) }),
      );
    }
    expect(upgrades).toHaveLength(0); // nothing was sent
  });

  it("places a credential's secret by its kind (the credential never picks the header), and refuses one that yields no secret", async () => {
    const asked: AuthorizeContext[] = [];
    const key: Credential<"apiKey"> = {
      kind: "apiKey",
      fingerprint: "sk_test_…",
      // Its own placement is for specs without a scheme; on the socket, the X-Api-Key scheme applies.
      placement: { type: "apiKey", in: "query", name: "key" },
      authorize: (context) => {
        asked.push(context);
        return { secret: "sk_test_0123456789abcdefABCD" };
      },
      toJSON: () => ({ kind: "apiKey", fingerprint: "sk_test_…" }),
    };
    const keyed = connectAuthenticatedSocket({ url: `${server.url}/v1/events`, credential: key, reconnect: false, onMessage: () => {} });
    sockets.push(keyed);
    await keyed.opened();
    expect(upgrades).toEqual([{ url: "/v1/events", apiKey: "sk_test_0123456789abcdefABCD" }]);
    expect(asked[0]).toMatchObject({
      method: "GET",
      operation: "GET /v1/events",
      scheme: "apiKeyAuth",
      schemeDescriptor: { type: "apiKey", in: "header", name: "X-Api-Key" },
    });
    expect(asked[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/events$/);

    validTokens.add("jwt-ok");
    const bearer: Credential<"bearer"> = {
      kind: "bearer",
      fingerprint: "jwt",
      authorize: (context) => {
        asked.push(context);
        return { secret: "jwt-ok" };
      },
      toJSON: () => ({ kind: "bearer", fingerprint: "jwt" }),
    };
    const borne = connectAuthenticatedSocket({ url: `${server.url}/v1/events`, credential: bearer, reconnect: false, onMessage: () => {} });
    sockets.push(borne);
    await borne.opened();
    expect(upgrades[1]).toEqual({ url: "/v1/events", authorization: "Bearer jwt-ok" });
    expect(asked[1]).toMatchObject({ scheme: "bearerAuth", schemeDescriptor: { type: "http", scheme: "bearer" } });

    const empty: Credential<"bearer"> = { kind: "bearer", fingerprint: "x", authorize: () => ({}), toJSON: () => ({ kind: "bearer", fingerprint: "x" }) };
    const errors: PorticoNodeError[] = [];
    const refused = connectAuthenticatedSocket({ url: server.url, credential: empty, reconnect: false, onMessage: () => {}, onError: (e) => errors.push(e) });
    sockets.push(refused);
    await expect(refused.opened()).rejects.toThrow();
    expect(errors[0]?.code).toBe("CREDENTIAL_CONFLICT");
    expect(upgrades).toHaveLength(2); // the empty credential sent nothing
  });

  it("carries core's apiKey() credential as X-Api-Key", async () => {
    const socket = connectAuthenticatedSocket({ url: `${server.url}/v1/events`, credential: apiKey("sk_test_0123456789abcdefABCD"), reconnect: false, onMessage: () => {} });
    sockets.push(socket);
    await socket.opened();
    expect(upgrades).toEqual([{ url: "/v1/events", apiKey: "sk_test_0123456789abcdefABCD" }]);
  });

  it("refuses a credential in the URL", () => {
    expect(() => connectAuthenticatedSocket({ url: `${server.url}/v1/events?apiKey=sk_test_x`, apiKey: "sk_test_x", onMessage: () => {} })).toThrow(
      /upgrade headers/,
    );
  });

  it("stops for good on a non-retryable status, and after close()", async () => {
    const closes: number[] = [];
    const socket = connectAuthenticatedSocket({
      url: `${server.url}/v1/events`,
      getToken: () => "t",
      reconnect: { baseDelayMs: 50, maxAttempts: 2 },
      onMessage: () => {},
      onClose: (event) => closes.push(event.status ?? 0),
    });
    sockets.push(socket);
    // 401 every time: two reconnects, then it gives up.
    await expect(socket.opened()).rejects.toThrow(/gave up after 2/);
    expect(upgrades).toHaveLength(3);

    validTokens.add("good");
    const closeEvents = recorder<{ code: number; reconnectInMs?: number }>();
    const closed = connectAuthenticatedSocket({
      url: `${server.url}/v1/events`,
      getToken: () => "good",
      onMessage: () => {},
      onClose: (event) => closeEvents.push(event),
    });
    await closed.opened();
    closed.close();
    // The socket reports its close once the connection is gone, with `reconnectInMs` if it scheduled
    // another attempt: none after close().
    const [event] = await closeEvents.until((events) => events.length === 1).then(() => closeEvents.items);
    expect(event).not.toHaveProperty("reconnectInMs");
    expect(upgrades).toHaveLength(4); // no reconnect after close()
    expect(closed.connected).toBe(false);
  });
});
