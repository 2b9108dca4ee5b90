import type { Browser, Page } from "playwright-core";
import { startSandbox, type AtlasControl, type RunningSandbox } from "@portico/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundlePage, startAppServer, type AppServer } from "./support/app-server.js";
import { launchChromium } from "./support/chromium.js";

/**
 * The Atlas `/v1/events` WebSocket opened from a real page with `connectEvents(atlasEvents, ...)`:
 * browsers cannot set headers on the upgrade, so the key travels as `?apiKey=` (the seed's
 * documented fallback).
 */
let browser: Browser;
let sandbox: RunningSandbox<"atlas">;
let control: AtlasControl;
let app: AppServer;
let page: Page;

beforeAll(async () => {
  const [bundle, running, launched] = await Promise.all([bundlePage(), startSandbox({ apis: ["atlas"] }), launchChromium()]);
  sandbox = running;
  control = sandbox.apis.atlas.control as AtlasControl;
  browser = launched;
  // The app's IMS settings are not used here.
  const unused = "http://127.0.0.1:9";
  app = await startAppServer(bundle, {
    ims: { authorizeUrl: `${unused}/authorize`, tokenUrl: `${unused}/oauth/token`, apiUrl: unused, clientId: "unused", audience: "unused", scope: "" },
  });
  page = await browser.newPage();
  await page.goto(`${app.origin}/`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sandbox?.stop();
});

describe("Atlas events in Chromium", () => {
  it("connects with the ?apiKey= credential and receives the stream's events", async () => {
    const key = control.credentials.apiKeys.full;
    // The API's base URL: the stream's path comes from the channel.
    const connected = await page.evaluate(([baseUrl, apiKey]) => window.app.connectEvents(baseUrl, apiKey), [sandbox.urls.atlas.api, key.secret] as const);
    expect(connected).toEqual({ ok: true });
    expect(control.eventConnections()).toBe(1);

    // The server authenticated the upgrade by the query-parameter key (audited by fingerprint only).
    const upgrade = control.auditLog.filter((entry) => entry.path === "/v1/events").at(-1);
    expect(upgrade).toMatchObject({ status: 101, scheme: "apiKey", fingerprint: key.fingerprint });
    expect(JSON.stringify(control.auditLog)).not.toContain(key.secret);

    // A sale made elsewhere for the same merchant reaches the page as a transaction.completed event.
    const sale = await fetch(`${sandbox.urls.atlas.api}/v1/transaction/sale`, {
      method: "POST",
      headers: { "X-Api-Key": key.secret, "Idempotency-Key": crypto.randomUUID(), "Content-Type": "application/json" },
      body: JSON.stringify({ type: "SALE", amount: 2500, currency: "NZD" }),
    });
    expect(sale.status).toBe(201);
    const { id } = (await sale.json()) as { id: string };
    await page.evaluate((txn) => window.app.eventArrived(txn), id);
    const { events, errors } = await page.evaluate(() => window.app.events());
    expect(errors).toEqual([]);
    const types = events.map((event) => event.type);
    expect(types).toContain("transaction.completed");
    const completed = events.find((event) => event.type === "transaction.completed");
    expect(completed?.data).toMatchObject({ amount: 2500, currency: "NZD" });

    await page.evaluate(() => window.app.closeEvents());
    // The sandbox exposes no close event: polled until its count drops, within the test's timeout.
    await expect.poll(() => control.eventConnections(), { timeout: 120_000 }).toBe(0);
  });

  it("reports a refused key as EVENTS_CONNECTION_FAILED without the key in the message", async () => {
    const wrong = "sk_test_this_key_does_not_exist_0000000000";
    const result = await page.evaluate(([baseUrl, apiKey]) => window.app.connectEvents(baseUrl, apiKey), [sandbox.urls.atlas.api, wrong] as const);
    expect(result).toMatchObject({ ok: false, error: { code: "EVENTS_CONNECTION_FAILED" } });
    expect(JSON.stringify(result)).not.toContain(wrong);
    expect(control.eventConnections()).toBe(0);
  });
});
