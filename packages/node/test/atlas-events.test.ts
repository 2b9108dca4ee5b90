import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AtlasEventMessage } from "@atlas-softpos/api-client";
import { startSandbox, type AtlasControl, type RunningSandbox } from "@portico/sandbox";
import { clientCredentials, connectAtlasEvents, nodeFetcher, type AuthenticatedSocket } from "../src/index.js";

const TOKEN_LIFETIME_SECONDS = 2;
let sandbox: RunningSandbox<"atlas">;
let atlas: AtlasControl;

beforeAll(async () => {
  sandbox = await startSandbox({ apis: ["atlas"], options: { atlas: { tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS } } });
  atlas = sandbox.apis.atlas.control;
});
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

describe("connectAtlasEvents against the Atlas sandbox", () => {
  it("connects with X-Api-Key and receives typed events", async () => {
    const received: AtlasEventMessage[] = [];
    const socket = connectAtlasEvents<AtlasEventMessage>({
      baseUrl: sandbox.urls.atlas.api,
      apiKey: atlas.credentials.apiKeys.full.secret,
      onEvent: (event) => received.push(event),
    });
    try {
      await socket.opened();
      await expect.poll(() => received.map((event) => event.type)).toContain("device.status"); // greeting
      await sale(2500);
      await expect.poll(() => received.find((event) => event.type === "transaction.completed")).toBeDefined();
      const completed = received.find((event) => event.type === "transaction.completed");
      if (completed?.type === "transaction.completed") expect(completed.data.amount).toBe(2500); // narrowed by `type`
      const upgrade = atlas.auditLog.filter((entry) => entry.path === "/v1/events");
      expect(upgrade.at(-1)).toMatchObject({ status: 101, scheme: "apiKey" });
    } finally {
      socket.close();
    }
  });

  it("connects with a bearer token and survives a server-side disconnect with a refreshed token", async () => {
    const client = atlas.credentials.client;
    const credential = clientCredentials({
      tokenUrl: `${sandbox.urls.atlas.auth}/v1/token`,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scope: "terminal:read transactions:read",
      extraParams: { terminal_id: atlas.terminalId },
      bodyEncoding: "json",
      fetcher: nodeFetcher,
    });
    const received: AtlasEventMessage[] = [];
    const opens: number[] = [];
    const tokensBefore = atlas.counters.tokensIssued;
    let socket: AuthenticatedSocket | undefined;
    try {
      socket = connectAtlasEvents<AtlasEventMessage>({
        baseUrl: sandbox.urls.atlas.api,
        credential,
        reconnect: { baseDelayMs: 100, maxDelayMs: 500 },
        onOpen: ({ attempt }) => opens.push(attempt),
        onEvent: (event) => received.push(event),
      });
      await socket.opened();
      await expect.poll(() => received.length).toBe(1);

      // Let the first token expire, then the server side cuts the connection (no close frame).
      await new Promise((resolve) => setTimeout(resolve, TOKEN_LIFETIME_SECONDS * 1000 + 200));
      await expect.poll(() => atlas.eventConnections()).toBe(1);
      expect(atlas.dropEventConnections()).toBe(1);
      await expect.poll(() => opens.length, { timeout: 10_000 }).toBe(2);
      await expect.poll(() => received.length).toBe(2); // greeted again on the new connection
      await sale(1200);
      await expect.poll(() => received.some((event) => event.type === "transaction.completed")).toBe(true);

      const upgrades = atlas.auditLog.filter((entry) => entry.path === "/v1/events" && entry.status === 101 && entry.scheme === "bearer").slice(-2);
      expect(upgrades).toHaveLength(2);
      expect(upgrades[0]!.fingerprint).not.toBe(upgrades[1]!.fingerprint); // a different (refreshed) token
      expect(atlas.counters.tokensIssued - tokensBefore).toBeGreaterThanOrEqual(2);
    } finally {
      socket?.close();
    }
  });
});
