import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { atlasEvents, type AtlasEventMessage } from "@atlas-softpos/api-client";
import { startSandbox, type AtlasControl, type RunningSandbox } from "@portico/sandbox";
import { clientCredentials, connectEvents, nodeFetcher, type AuthenticatedSocket } from "../src/index.js";
import { recorder } from "./support/events.js";

const TOKEN_LIFETIME_SECONDS = 3600;
let sandbox: RunningSandbox<"atlas">;
let atlas: AtlasControl;

beforeAll(async () => {
  sandbox = await startSandbox({ apis: ["atlas"], options: { atlas: { tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS } } });
  atlas = sandbox.apis.atlas.control;
});
afterEach(() => sandbox.clock.reset());
afterAll(async () => {
  await sandbox?.stop();
  await nodeFetcher.close();
});

async function sale(amount: number): Promise<void> {
  const response = await nodeFetcher(`${sandbox.urls.atlas.api}/v1/transaction/sale`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": atlas.credentials.apiKeys.full.secret,
      "idempotency-key": randomUUID(),
    },
    body: JSON.stringify({ type: "SALE", amount, currency: "NZD" }),
  });
  expect(response.status).toBeLessThan(300);
  await response.arrayBuffer();
}

describe("connectEvents(atlasEvents) against the Atlas sandbox", () => {
  it("connects with X-Api-Key and receives typed events", async () => {
    const received = recorder<AtlasEventMessage>();
    const socket = connectEvents(atlasEvents, {
      baseUrl: sandbox.urls.atlas.api,
      apiKey: atlas.credentials.apiKeys.full.secret,
      onEvent: (event) => received.push(event),
    });
    try {
      await socket.opened();
      await received.first((event) => event.type === "device.status"); // greeting
      await sale(2500);
      const completed = await received.first((event) => event.type === "transaction.completed");
      if (completed.type === "transaction.completed") expect(completed.data.amount).toBe(2500); // narrowed by `type`
      const upgrade = atlas.auditLog.filter((entry) => entry.path === "/v1/events");
      expect(upgrade.at(-1)).toMatchObject({ status: 101, scheme: "apiKey" });
    } finally {
      socket.close();
    }
  });

  it("connects with a bearer token and survives a server-side disconnect with a refreshed token", async () => {
    // One clock for the client's token cache and the sandbox (which signs and checks `exp` on it):
    // the token expires when the test moves time, not after a real wait.
    let offset = 0;
    const clock = { now: () => Date.now() + offset };
    const client = atlas.credentials.client;
    const credential = clientCredentials({
      tokenUrl: `${sandbox.urls.atlas.auth}/v1/token`,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scope: "terminal:read transactions:read",
      extraParams: { terminal_id: atlas.terminalId },
      bodyEncoding: "json",
      fetcher: nodeFetcher,
      clock,
    });
    const received = recorder<AtlasEventMessage>();
    const opens = recorder<number>();
    const tokensBefore = atlas.counters.tokensIssued;
    let socket: AuthenticatedSocket | undefined;
    try {
      socket = connectEvents(atlasEvents, {
        baseUrl: sandbox.urls.atlas.api,
        credential,
        reconnect: { baseDelayMs: 100, maxDelayMs: 500 },
        onOpen: ({ attempt }) => opens.push(attempt),
        onEvent: (event) => received.push(event),
      });
      await socket.opened();
      await received.until((events) => events.length === 1); // greeted: the server holds the connection
      expect(atlas.eventConnections()).toBe(1);

      // The first token expires (for the client and the server alike), then the server side cuts
      // the connection (no close frame).
      const expiry = (TOKEN_LIFETIME_SECONDS + 1) * 1000;
      offset += expiry;
      sandbox.clock.advance(expiry);
      expect(atlas.dropEventConnections()).toBe(1);
      await opens.until((attempts) => attempts.length === 2);
      await received.until((events) => events.length === 2); // greeted again on the new connection
      await sale(1200);
      await received.first((event) => event.type === "transaction.completed");

      // One reconnect, accepted at once: the upgrade carried a fresh token, not the expired one.
      expect(opens.items).toEqual([0, 1]);
      const upgrades = atlas.auditLog.filter((entry) => entry.path === "/v1/events" && entry.scheme === "bearer").slice(-2);
      expect(upgrades.map((entry) => entry.status)).toEqual([101, 101]);
      expect(upgrades[0]!.fingerprint).not.toBe(upgrades[1]!.fingerprint); // a different (refreshed) token
      expect(atlas.counters.tokensIssued - tokensBefore).toBe(2);
    } finally {
      socket?.close();
    }
  });
});
