import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MISSING_CHUNK_FIX } from "@portico/core/internal";
import { bundlePage, startAppServer, type AppServer, type PageBundle, type Refusal } from "./support/app-server.js";
import { launchChromium } from "./support/chromium.js";
import { startImsSandbox, type ImsSandbox } from "./support/ims-sandbox.js";
import { recordRequests, type RequestLog } from "./support/server-requests.js";

/**
 * The work of `beginSignIn` and `completeSignIn` is loaded with `import()`: in an app bundled with
 * code splitting it is a chunk of its own, which a page open across a deployment (or gone offline)
 * may fail to fetch. In headless Chromium, with the app server refusing that chunk, the call fails
 * with a typed `NETWORK_ERROR` that says what to do, sends nothing to the identity server, and
 * (completeSignIn) still cleans the address bar; once the chunk is served again, a reload signs in.
 */
let browser: Browser;
let ims: ImsSandbox;
let bundled: PageBundle;
let app: AppServer;
/** What the app server refuses; the tests change it while the server runs. */
const refuse = new Map<string, Refusal>();
/** Every request the sandbox's identity server (authorize and token endpoints) receives. */
let identity: RequestLog;

beforeAll(async () => {
  const [bundle, sandbox, launched] = await Promise.all([bundlePage(), startImsSandbox(), launchChromium()]);
  bundled = bundle;
  ims = sandbox;
  browser = launched;
  app = await startAppServer(bundle, ims.pageConfig(), { refuse });
  identity = recordRequests(ims.sandbox.urls.ims.auth);
});

afterAll(async () => {
  identity?.stop();
  await browser?.close();
  await app?.stop();
  await ims?.sandbox.stop();
});

/** The URL path of the chunk that holds `source`: a file of its own, not the entry. */
function chunkOf(source: string): string {
  const chunk = bundled.fileOf(source);
  expect(chunk, `${source} is in no output file`).toMatch(/^\/(?!app\.js$)[^/]+\.js$/);
  return chunk!;
}

async function openApp(path = "/"): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.origin}${path}`);
  return page;
}

/**
 * Starts the sign-in in the page and follows the redirects back to /callback. The page may be on
 * /callback already, and the app cleans the address bar as it loads: so the wait, set up before
 * the sign-in starts, is for the navigation that brings a code.
 */
async function signInByRedirect(page: Page): Promise<Awaited<Window["app"]["started"]>> {
  await Promise.all([
    page.waitForURL((url) => url.pathname === "/callback" && url.searchParams.has("code"), { waitUntil: "load" }),
    page.evaluate(() => {
      void window.app.signIn({ navigate: true });
    }),
  ]);
  return page.evaluate(() => window.app.started);
}

/** The message of the missing chunk of `caller`, whose failure means `notDone`. */
const missingChunkMessage = (notDone: string, caller: string): string =>
  `${notDone}: portico's ${caller} code, a module loaded with the first ${caller}(), could not be loaded. ${MISSING_CHUNK_FIX}`;

describe("sign-in whose chunk cannot be loaded, in Chromium", () => {
  it("bundles the work of beginSignIn and completeSignIn into chunks of their own", () => {
    const start = chunkOf("src/sign-in/start-sign-in.ts");
    const finish = chunkOf("src/sign-in/finish-sign-in.ts");
    expect(start).not.toBe(finish);
    // The entry only loads them: the page can run without either.
    expect(bundled.files.get("/app.js")).toContain(`import("./${start.slice(1)}")`);
    expect(bundled.files.get("/app.js")).toContain(`import("./${finish.slice(1)}")`);
  });

  it("beginSignIn fails with NETWORK_ERROR when its chunk answers 404, sends nothing, and works after a reload", async () => {
    const chunk = chunkOf("src/sign-in/start-sign-in.ts");
    const page = await openApp();
    expect(await page.evaluate(() => window.app.started)).toEqual({ signedIn: false, via: "restore" });

    refuse.set(chunk, "not-found");
    const identitySeen = identity.requests.length;
    const result = await page.evaluate(() => window.app.trySignIn({ navigate: true }));
    expect(app.refused).toContain(chunk);
    if (result.ok) throw new Error(`beginSignIn succeeded without its chunk: ${result.url}`);
    expect(result.error).toMatchObject({ name: "PorticoError", code: "NETWORK_ERROR" });
    expect(result.error.message).toBe(missingChunkMessage("The sign-in did not start", "beginSignIn"));
    expect(result.error.message.endsWith(MISSING_CHUNK_FIX)).toBe(true);
    // The loader's own error, kept as the cause (name and redacted message).
    expect(result.error.cause?.name).toBe("TypeError");
    expect(result.error.cause?.message).toMatch(/dynamically imported module/);
    // The page stayed where it was, and the identity server heard nothing.
    expect(new URL(page.url()).pathname).toBe("/");
    expect(identity.requests.slice(identitySeen)).toEqual([]);

    // Served again, the chunk loads in the reloaded page, and the sign-in completes.
    refuse.delete(chunk);
    await page.reload();
    expect(await page.evaluate(() => window.app.started)).toEqual({ signedIn: false, via: "restore" });
    expect(await signInByRedirect(page)).toEqual({ signedIn: true, via: "redirect", returnTo: "/inventory" });
    expect(identity.requests.slice(identitySeen)).toEqual(expect.arrayContaining(["GET /authorize", "POST /oauth/token"]));
    expect(await page.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: true, status: 200 });
    await page.context().close();
  });

  it("completeSignIn fails with NETWORK_ERROR when its chunk's connection drops, cleans the address bar, sends nothing, and works after a reload", async () => {
    const chunk = chunkOf("src/sign-in/finish-sign-in.ts");
    const page = await openApp();
    expect(await page.evaluate(() => window.app.started)).toEqual({ signedIn: false, via: "restore" });
    // A real code for this tab's pending sign-in, from the sandbox's authorize endpoint.
    const authorizeUrl = await page.evaluate(() => window.app.signIn());
    const answer = await fetch(authorizeUrl, { redirect: "manual" });
    expect(answer.status).toBe(302);
    const callback = new URL(answer.headers.get("location") ?? "");
    expect(callback.origin).toBe(app.origin);
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(callback.searchParams.get("state")).toBeTruthy();

    refuse.set(chunk, "drop");
    const identitySeen = identity.requests.length;
    const exchangesBefore = ims.control.tokenRequests.byGrant.authorization_code;
    await page.goto(callback.href);
    const started = await page.evaluate(() => window.app.started);
    expect(app.refused).toContain(chunk);
    expect(started).toMatchObject({ signedIn: false, via: "redirect", error: { name: "PorticoError", code: "NETWORK_ERROR" } });
    expect(started.error?.message).toBe(missingChunkMessage("The sign-in was not completed", "completeSignIn"));
    expect(started.error?.message.endsWith(MISSING_CHUNK_FIX)).toBe(true);
    expect(started.error?.message).not.toContain(callback.searchParams.get("code"));
    expect(started.error?.cause?.name).toBe("TypeError");
    // code and state left the address bar before the chunk was asked for.
    const href = new URL(await page.evaluate(() => location.href));
    expect(href.pathname).toBe("/callback");
    expect(href.search).toBe("");
    // No code exchange, nor any other request, reached the identity server.
    expect(identity.requests.slice(identitySeen)).toEqual([]);
    expect(ims.control.tokenRequests.byGrant.authorization_code).toBe(exchangesBefore);

    // Served again, the chunk loads in the reloaded page, and a new sign-in completes.
    refuse.delete(chunk);
    await page.reload();
    expect(await page.evaluate(() => window.app.started)).toEqual({ signedIn: false, via: "restore" });
    expect(await signInByRedirect(page)).toEqual({ signedIn: true, via: "redirect", returnTo: "/inventory" });
    expect(ims.control.tokenRequests.byGrant.authorization_code).toBe(exchangesBefore + 1);
    expect(await page.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: true, status: 200 });
    await page.context().close();
  });
});
