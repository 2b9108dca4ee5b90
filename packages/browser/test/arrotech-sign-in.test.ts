import type { Browser } from "playwright-core";
import { startSandbox, type RunningSandbox } from "@portico/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundlePage, startAppServer, type AppServer } from "./support/app-server.js";
import { launchChromium } from "./support/chromium.js";

/**
 * Arrotech's 3-legged flow from a browser: the hub's `/auth/authorize` (public client, PKCE S256,
 * `state`), the code exchanged form-encoded at the API origin's `/auth/token`, typed calls through
 * the generated Arrotech client, and a rotating refresh once the token expires. The page runs on
 * Playwright's clock and the sandbox on its own: the token expires when the test moves both past
 * its lifetime, never after a real wait.
 */
interface ArrotechControlView {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly clients: { readonly spa: { readonly clientId: string } };
  readonly tokenRequests: { readonly byGrant: Readonly<Record<"client_credentials" | "authorization_code" | "refresh_token", number>> };
}

const LIFETIME_SECONDS = 3600;
let browser: Browser;
let sandbox: RunningSandbox<"arrotech">;
let control: ArrotechControlView;
let app: AppServer;

beforeAll(async () => {
  const [bundle, running, launched] = await Promise.all([
    bundlePage(),
    startSandbox({ apis: ["arrotech"], options: { arrotech: { tokenLifetimeSeconds: LIFETIME_SECONDS } } }),
    launchChromium(),
  ]);
  sandbox = running;
  browser = launched;
  control = sandbox.apis.arrotech.control as unknown as ArrotechControlView;
  app = await startAppServer(bundle, {
    provider: "arrotech",
    ims: {
      authorizeUrl: control.authorizeUrl,
      tokenUrl: control.tokenUrl,
      apiUrl: sandbox.urls.arrotech.api,
      clientId: control.clients.spa.clientId,
      scope: "chat:read data:read",
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sandbox?.stop();
});

describe("Arrotech sign-in in Chromium", () => {
  it("signs in through the hub, calls the API, and refreshes with the rotated refresh token", async () => {
    const page = await browser.newPage();
    await page.clock.install();
    await page.goto(`${app.origin}/`);
    const authorize: URL[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname === "/auth/authorize") authorize.push(url);
    });
    await page.evaluate(() => {
      void window.app.signIn({ navigate: true });
    });
    await page.waitForURL((url) => url.pathname === "/callback", { waitUntil: "load" });
    expect(await page.evaluate(() => window.app.started)).toMatchObject({ signedIn: true, via: "redirect" });
    expect(authorize[0]?.origin).toBe(sandbox.urls.arrotech.hub);
    expect(authorize[0]?.searchParams.get("code_challenge_method")).toBe("S256");
    expect(control.tokenRequests.byGrant.authorization_code).toBe(1);

    const first = await page.evaluate(() => window.app.whoAmI());
    expect(first).toMatchObject({ ok: true, status: 200 });
    expect(first.sub).toMatch(/^oauth_user:/);

    for (let round = 1; round <= 2; round += 1) {
      const ms = (LIFETIME_SECONDS + 1) * 1000;
      sandbox.clock.advance(ms);
      await page.clock.fastForward(ms);
      const { expiresAt, now } = await page.evaluate(() => window.app.info());
      expect(now).toBeGreaterThan(expiresAt!); // expired, by the page's own clock
      const before = control.tokenRequests.byGrant.refresh_token;
      expect(await page.evaluate(() => window.app.whoAmI())).toMatchObject({ ok: true, status: 200 });
      expect(control.tokenRequests.byGrant.refresh_token).toBe(before + 1);
    }
    await page.close();
  });
});
