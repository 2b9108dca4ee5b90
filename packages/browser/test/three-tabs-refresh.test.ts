import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundlePage, startAppServer, type AppServer, type PageBundle } from "./support/app-server.js";
import { launchChromium } from "./support/chromium.js";
import { startImsSandbox, type ImsSandbox } from "./support/ims-sandbox.js";

/**
 * Three tabs (pages of one browser context) share one signed-in session whose access token lives
 * an hour. When it expires and all three call at once, the sandbox sees exactly one refresh request
 * and every tab's call succeeds; the next round is refreshed by a tab that did not refresh the
 * first time, with the refresh token rotated by the other (the sandbox revokes the whole family
 * if a rotated-out refresh token is reused, so a stale one would fail every call).
 *
 * The token expires when the test moves time: the pages run on Playwright's clock (installed on
 * the context, flowing normally otherwise) and the sandbox on its own, both jumped past the
 * lifetime together. No test waits for a token to age in real time.
 */
const LIFETIME_SECONDS = 3600;

let browser: Browser;
let ims: ImsSandbox;
let app: AppServer;
let page: PageBundle;

beforeAll(async () => {
  const [bundle, sandbox, launched] = await Promise.all([bundlePage(), startImsSandbox(LIFETIME_SECONDS), launchChromium()]);
  page = bundle;
  ims = sandbox;
  browser = launched;
  app = await startAppServer(bundle, ims.pageConfig());
});

afterAll(async () => {
  ims?.sandbox.clock.reset();
  await browser?.close();
  await app?.stop();
  await ims?.sandbox.stop();
});

const refreshes = (): number => ims.control.tokenRequests.byGrant.refresh_token;

type Info = Awaited<ReturnType<Window["app"]["info"]>>;
const info = (page: Page): Promise<Info> => page.evaluate(() => window.app.info());

/** Moves the pages' clock and the sandbox's past the token's lifetime: every tab's token has expired. */
async function expireTokens(context: BrowserContext, pages: readonly Page[]): Promise<void> {
  const ms = (LIFETIME_SECONDS + 1) * 1000;
  ims.sandbox.clock.advance(ms);
  await context.clock.fastForward(ms);
  for (const page of pages) {
    const { expiresAt, now } = await info(page);
    expect(expiresAt).toBeDefined();
    expect(now).toBeGreaterThan(expiresAt!); // by the page's own clock
  }
}

/** Tabs that requested a token themselves (not adopted from another tab) since `since` events. */
async function requesters(pages: readonly Page[], since: readonly number[]): Promise<number[]> {
  const result: number[] = [];
  for (const [i, page] of pages.entries()) {
    const events = (await info(page)).tokenEvents.slice(since[i]);
    if (events.some((event) => !event.fromCache && event.reason !== "initial")) result.push(i);
  }
  return result;
}

async function openTabs(context: BrowserContext): Promise<Page[]> {
  const first = await context.newPage();
  await first.goto(`${app.origin}/`);
  await first.evaluate(() => {
    void window.app.signIn({ navigate: true });
  });
  await first.waitForURL((url) => url.pathname === "/callback", { waitUntil: "load" });
  expect(await first.evaluate(() => window.app.started)).toMatchObject({ signedIn: true, via: "redirect" });
  const others: Page[] = [];
  for (let i = 0; i < 2; i += 1) {
    const page = await context.newPage();
    await page.goto(`${app.origin}/inventory`);
    // A new tab holds no token (memory storage): it asks the open tab for the session.
    expect(await page.evaluate(() => window.app.started)).toEqual({ signedIn: true, via: "restore" });
    others.push(page);
  }
  return [first, ...others];
}

describe.each([
  { coordination: "web-locks", withoutWebLocks: false },
  { coordination: "broadcast-channel", withoutWebLocks: true },
])("three tabs, one refresh ($coordination)", ({ coordination, withoutWebLocks }) => {
  it("makes one refresh request when the token expires, and every tab keeps calling", async () => {
    const context = await browser.newContext();
    const fetched = new Set<string>();
    context.on("request", (request) => fetched.add(new URL(request.url()).pathname));
    await context.clock.install();
    if (withoutWebLocks) {
      await context.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true });
      });
    }
    const tabs = await openTabs(context);
    for (const tab of tabs) {
      expect((await info(tab)).coordination).toBe(coordination);
      expect(await tab.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: true });
    }

    // Round 1: the token expires; all three tabs call at once.
    await expireTokens(context, tabs);
    let before = refreshes();
    let marks = await Promise.all(tabs.map(async (tab) => (await info(tab)).tokenEvents.length));
    const round1 = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.app.whoAmI())));
    for (const call of round1) expect(call).toMatchObject({ ok: true, status: 200 });
    expect(refreshes() - before).toBe(1);
    const firstRefresher = await requesters(tabs, marks);
    expect(firstRefresher).toHaveLength(1);

    // Round 2: a tab that only adopted the first refresh calls alone, so it must refresh with the
    // refresh token the other tab received; then the rest call and adopt its token.
    await expireTokens(context, tabs);
    const next = tabs.findIndex((_, i) => i !== firstRefresher[0]);
    before = refreshes();
    marks = await Promise.all(tabs.map(async (tab) => (await info(tab)).tokenEvents.length));
    expect(await tabs[next]!.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: true });
    const round2 = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.app.whoAmI())));
    for (const call of round2) expect(call).toMatchObject({ ok: true, status: 200 });
    expect(refreshes() - before).toBe(1);
    expect(await requesters(tabs, marks)).toEqual([next]);

    // The BroadcastChannel lock is a chunk of its own, fetched only by pages without Web Locks.
    const lockChunk = page.fileOf("src/tokens/broadcast-lock.ts");
    expect(lockChunk).toMatch(/^\/.+\.js$/);
    expect(lockChunk).not.toBe("/app.js");
    expect(fetched.has(lockChunk!)).toBe(withoutWebLocks);
    await context.close();
  });
});
