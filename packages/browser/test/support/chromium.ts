import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium, headless; never a browser downloaded by `playwright install`. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/**
 * Playwright's own deadline for every action, navigation and wait of these tests: far above what
 * any step needs, so a busy machine only makes a step slower; a step that never ends still fails
 * at the test's timeout. (Playwright's default of 30 s is tuned for an idle machine.)
 */
export const PLAYWRIGHT_TIMEOUT_MS = 600_000;

/** Launches the system Chromium through playwright-core; its contexts get {@link PLAYWRIGHT_TIMEOUT_MS}. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: PLAYWRIGHT_TIMEOUT_MS });
  const newContext = browser.newContext.bind(browser);
  // `browser.newPage()` creates its context through `newContext` too.
  browser.newContext = async (...args: Parameters<Browser["newContext"]>) => {
    const context = await newContext(...args);
    context.setDefaultTimeout(PLAYWRIGHT_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(PLAYWRIGHT_TIMEOUT_MS);
    return context;
  };
  return browser;
}
