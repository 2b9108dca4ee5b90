import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, bundlePage, type AppServer, type PageBundle } from "./support/app-server.js";
import { launchChromium } from "./support/chromium.js";
import { startImsSandbox, type ImsSandbox } from "./support/ims-sandbox.js";

/**
 * Authorization Code + PKCE in real headless Chromium against the IMS sandbox's Auth0-style
 * issuer: the page redirects to /authorize, comes back with a code, exchanges it, keeps the
 * token in memory and makes typed calls through the generated IMS client.
 */
let browser: Browser;
let ims: ImsSandbox;
let app: AppServer;
let sessionStorageApp: AppServer;
let bundled: PageBundle;

beforeAll(async () => {
  const [bundle, sandbox, launched] = await Promise.all([bundlePage(), startImsSandbox(), launchChromium()]);
  bundled = bundle;
  ims = sandbox;
  browser = launched;
  app = await startAppServer(bundle, ims.pageConfig());
  sessionStorageApp = await startAppServer(bundle, ims.pageConfig({ tokenStorage: "sessionStorage" }));
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sessionStorageApp?.stop();
  await ims?.sandbox.stop();
});

async function openApp(server: AppServer = app): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.origin}/`);
  return page;
}

/** Starts the sign-in in the page and follows the redirects back to /callback. */
async function signInByRedirect(page: Page, options: { nonce?: boolean } = {}): Promise<Awaited<Window["app"]["started"]>> {
  await page.evaluate((opts) => {
    void window.app.signIn({ ...opts, navigate: true });
  }, options);
  await page.waitForURL((url) => url.pathname === "/callback", { waitUntil: "load" });
  return page.evaluate(() => window.app.started);
}

describe("PKCE sign-in in Chromium", () => {
  it("redirects to the sandbox's authorize page, exchanges the code, keeps the token in memory and makes typed calls", async () => {
    const page = await openApp();
    expect(await page.evaluate(() => window.app.started)).toEqual({ signedIn: false, via: "restore" });

    const authorizeRequests: URL[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/authorize") authorizeRequests.push(url);
    });
    const exchangesBefore = ims.control.tokenRequests.byGrant.authorization_code;
    await signInByRedirect(page);
    const started = await page.evaluate(() => window.app.started);
    expect(started).toEqual({ signedIn: true, via: "redirect", returnTo: "/inventory" });

    // The authorize request carried PKCE S256 and a random state; one code exchange happened.
    expect(authorizeRequests).toHaveLength(1);
    const authorize = authorizeRequests[0]!;
    expect(authorize.searchParams.get("response_type")).toBe("code");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ims.control.tokenRequests.byGrant.authorization_code).toBe(exchangesBefore + 1);

    // code and state are gone from the address bar; the token is in memory, not in Web Storage.
    const info = await page.evaluate(() => window.app.info());
    expect(new URL(info.href).search).toBe("");
    expect(info.storage).toBe("memory");
    expect(info.coordination).toBe("web-locks");
    expect(info.webStorageKeys.filter((key) => key.startsWith("portico:token"))).toEqual([]);
    expect(info.webStorageText).not.toMatch(/eyJ/);
    expect(info.credentialJson).not.toMatch(/eyJ/);

    const call = await page.evaluate(() => window.app.whoAmI());
    expect(call).toMatchObject({ ok: true, status: 200 });
    expect(call.sub).toBeTruthy();
    expect(call.tenantId).toMatch(/^[0-9a-f-]{36}$/);
    await page.context().close();
  });

  it("checks the OIDC nonce of the ID token", async () => {
    const page = await openApp();
    await signInByRedirect(page, { nonce: true });
    expect(await page.evaluate(() => window.app.started)).toMatchObject({ signedIn: true, via: "redirect" });
    expect(await page.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: true });
    await page.context().close();
  });

  it("refuses an ID token whose nonce is not the one the page sent", async () => {
    const page = await openApp();
    const authorizeUrl = new URL(await page.evaluate(() => window.app.signIn({ nonce: true })));
    expect(authorizeUrl.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    authorizeUrl.searchParams.set("nonce", "a-nonce-the-page-never-sent");
    await page.goto(authorizeUrl.href);
    await page.waitForURL((url) => url.pathname === "/callback", { waitUntil: "load" });
    const started = await page.evaluate(() => window.app.started);
    expect(started.error).toMatchObject({ name: "SignInError", code: "NONCE_MISMATCH" });
    await page.context().close();
  });

  it("refuses a redirect whose state was tampered with, before any token request", async () => {
    const page = await openApp();
    const authorizeUrl = await page.evaluate(() => window.app.signIn());
    // The sandbox issues a real code for this authorization request ...
    const answer = await fetch(authorizeUrl, { redirect: "manual" });
    expect(answer.status).toBe(302);
    const callback = new URL(answer.headers.get("location") ?? "");
    expect(callback.searchParams.get("code")).toBeTruthy();
    // ... but the page receives it with another state.
    callback.searchParams.set("state", "forged-state-value-from-an-attacker-aaaaaaaaa");
    const exchangesBefore = ims.control.tokenRequests.byGrant.authorization_code;
    await page.goto(callback.href);
    const started = await page.evaluate(() => window.app.started);
    expect(started.signedIn).toBe(false);
    expect(started.error).toMatchObject({ name: "SignInError", code: "STATE_MISMATCH" });
    expect(started.error?.message).not.toContain(callback.searchParams.get("code"));
    expect(ims.control.tokenRequests.byGrant.authorization_code).toBe(exchangesBefore);
    expect(new URL(await page.evaluate(() => location.href)).search).toBe("");

    // Replaying the same redirect (the pending sign-in is spent) is refused too.
    await page.goto(callback.href);
    expect((await page.evaluate(() => window.app.started)).error?.code).toBe("SIGN_IN_NOT_STARTED");
    await page.context().close();
  });

  it("turns error=access_denied into a typed AUTHORIZATION_DENIED error", async () => {
    const page = await openApp();
    ims.control.denyNextAuthorization();
    await signInByRedirect(page);
    const started = await page.evaluate(() => window.app.started);
    expect(started.error).toMatchObject({ name: "SignInError", code: "AUTHORIZATION_DENIED", oauthError: "access_denied" });
    expect(new URL(await page.evaluate(() => location.href)).search).toBe("");
    await page.context().close();
  });
});

describe("token storage and sign-out in Chromium", () => {
  it("keeps the token in memory by default: a reload of the only tab ends the session", async () => {
    const page = await openApp();
    expect(await signInByRedirect(page)).toMatchObject({ signedIn: true });
    expect(await page.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: true });
    await page.reload();
    expect(await page.evaluate(() => window.app.started)).toEqual({ signedIn: false, via: "restore" });
    await page.context().close();
  });

  it("keeps the session across a reload with the sessionStorage opt-in", async () => {
    const page = await openApp(sessionStorageApp);
    expect(await signInByRedirect(page)).toMatchObject({ signedIn: true });
    expect((await page.evaluate(() => window.app.info())).storage).toBe("sessionStorage");
    await page.reload();
    expect(await page.evaluate(() => window.app.started)).toEqual({ signedIn: true, via: "restore" });
    expect(await page.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: true });
    await page.context().close();
  });

  it("signs out every tab: the other tab's next call fails with SESSION_EXPIRED, sending nothing", async () => {
    const page = await openApp();
    const fetchedBy = (tab: Page): Set<string> => {
      const paths = new Set<string>();
      tab.on("request", (request) => paths.add(new URL(request.url()).pathname));
      return paths;
    };
    const signingIn = fetchedBy(page);
    expect(await signInByRedirect(page)).toMatchObject({ signedIn: true });
    const other = await page.context().newPage();
    const restoring = fetchedBy(other);
    await other.goto(`${app.origin}/`);
    expect(await other.evaluate(() => window.app.started)).toEqual({ signedIn: true, via: "restore" });
    expect(await other.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: true });
    // The work of beginSignIn and completeSignIn is in chunks of its own: fetched by the tab that
    // signed in, never by the tab that restored the session.
    const chunks = [bundled.fileOf("src/sign-in/start-sign-in.ts"), bundled.fileOf("src/sign-in/finish-sign-in.ts")];
    for (const chunk of chunks) expect(chunk).toMatch(/^\/(?!app\.js$).+\.js$/);
    expect(chunks.map((chunk) => signingIn.has(chunk!))).toEqual([true, true]);
    expect(chunks.map((chunk) => restoring.has(chunk!))).toEqual([false, false]);
    expect(restoring.has("/app.js")).toBe(true);
    await page.evaluate(() => window.app.signOut());
    await other.evaluate(() => window.app.signedOut()); // the other tab heard it
    expect(await other.evaluate(() => window.app.info().expiresAt)).toBeUndefined();
    const apiRequests: string[] = [];
    other.on("request", (request) => {
      if (request.url().startsWith(ims.apiUrl)) apiRequests.push(request.url());
    });
    expect(await other.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: false, code: "SESSION_EXPIRED" });
    expect(apiRequests).toEqual([]);
    await page.context().close();
  });
});
