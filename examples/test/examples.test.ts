/**
 * The demo tour and every example, run as a user would: the tour through `runTour`, each example
 * as a child `node` process (importing the BUILT packages, so run `pnpm build` first; `pnpm test`
 * does) that starts its own sandbox because no base URL is in its environment.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runTour, TOUR_IMS_TOKEN_LIFETIME_SECONDS } from "../demo/tour-lib.mjs";

const examplesDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Env without any of the examples' target variables, so each one starts the sandbox. */
function sandboxEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(IMS|EUDR|ATLAS|ARROTECH|ERIP)_/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock run time: only ever used to widen an allowance, never as a deadline to meet. */
  readonly ms: number;
}

/**
 * How long an example may run before the test gives up (and kills it): far above what one needs on
 * a busy machine (a few seconds idle), so only a hung example reaches it.
 */
const EXAMPLE_TIMEOUT_MS = 600_000;

function runExample(name: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(examplesDir, name, "main.mjs")], { cwd: examplesDir, env: sandboxEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), EXAMPLE_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

function expectSuccess(run: Run): void {
  expect(run.stderr, run.stdout).not.toMatch(/Error|FAILED/);
  expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
}

describe("the demo tour", () => {
  it("runs every step green and prints the summary", async () => {
    const lines: string[] = [];
    const result = await runTour({ log: (line) => lines.push(line) });
    const output = lines.join("\n");
    expect(result.steps.filter((s) => !s.ok), output).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.name)).toEqual(["Sandbox", "IMS", "EUDR", "Atlas", "Arrotech", "ERIP", "Lists and streams"]);
    // Each step names the file that implements it, right under its header.
    expect(result.steps.map((s) => s.file)).toEqual([
      "examples/demo/tour-lib.mjs",
      "examples/demo/steps/ims.mjs",
      "examples/demo/steps/eudr.mjs",
      "examples/demo/steps/atlas.mjs",
      "examples/demo/steps/arrotech.mjs",
      "examples/demo/steps/erip.mjs",
      "examples/demo/steps/lists.mjs",
    ]);
    for (const [index, step] of result.steps.entries()) {
      const header = lines.findIndex((line) => line.startsWith(`[${index + 1}/7] `));
      expect(lines[header + 1], output).toBe(`      file: ${step.file}`);
      expect(existsSync(join(examplesDir, "..", step.file)), step.file).toBe(true);
    }
    expect(output).toMatch(/token #2 \((refresh-ahead|expiring)/);
    expect(output).toMatch(/no request carried an expired token/);
    for (const code of ["AUTHENTICATION_REQUIRED", "INVALID_TOKEN_FORMAT", "INVALID_TOKEN ", "TOKEN_REVOKED", "TOKEN_EXPIRED", "INTEGRATION_INACTIVE", "INSUFFICIENT_SCOPES"]) {
      expect(output).toContain(code);
    }
    expect(output).toMatch(/ledger: 1 new sale \(no double charge\)/);
    expect(output).toMatch(/a redirect with a forged state → STATE_MISMATCH/);
    expect(output).toMatch(/next search → 402 INSUFFICIENT_CREDITS after 1 attempt/);
    expect(output).toMatch(/none lost or repeated/);
    expect(output).toMatch(/All 7 steps passed/);
    // Far fewer token requests than calls: at most one per half-lifetime per tenant over as long as
    // the step took (a busy machine makes fewer calls in that time, never fewer seconds).
    const ims = result.steps.find((s) => s.name === "IMS");
    const tokenRequests = Number(ims?.facts?.["tokenRequests"]);
    expect(tokenRequests).toBeLessThan(Number(ims?.facts?.["calls"]));
    expect(tokenRequests).toBeLessThanOrEqual(2 * (Math.ceil((ims?.ms ?? 0) / ((TOUR_IMS_TOKEN_LIFETIME_SECONDS * 1000) / 2)) + 2));
  }, EXAMPLE_TIMEOUT_MS);
});

describe("examples against the sandbox", () => {
  it("ims-server-job reports every tenant with refreshed tokens", async () => {
    const run = await runExample("ims-server-job");
    expectSuccess(run);
    const fetched = /tenant 3f1c9a6e-[0-9a-f-]+: \d+ balances, \d+ below 100 \(tokens fetched: (\d+)\)/.exec(run.stdout);
    expect(fetched, run.stdout).not.toBeNull();
    // Refreshed: its passes are 1.5 s apart (a real wait, so at least that long however busy the
    // machine), so the third starts past the first 3 s token's life. At most one token per half-lifetime
    // (1.5 s) of the time the process actually ran: never one per call, whatever the machine's pace.
    const tokens = Number(fetched![1]);
    expect(tokens).toBeGreaterThanOrEqual(2);
    expect(tokens).toBeLessThanOrEqual(Math.ceil(run.ms / 1500) + 1);
    expect(run.stdout).toMatch(/tenant 9b8e7d6c-[0-9a-f-]+: \d+ balances/);
    expect(run.stdout).toContain("done: 2 of 2 tenants reported");
  }, EXAMPLE_TIMEOUT_MS);

  it("atlas-pos-sale charges once through 503s and a reset after commit (LAN mode)", async () => {
    const run = await runExample("atlas-pos-sale");
    expectSuccess(run);
    expect(run.stdout).toMatch(/attempt 1 503; retrying/);
    expect(run.stdout).toMatch(/NETWORK_ERROR; retrying .* with the same key/);
    expect(run.stdout).toMatch(/sale APPROVED txn_\w+ .* after 4 attempts/);
    expect(run.stdout).toContain("sandbox ledger: 1 sale(s) charged");
  }, EXAMPLE_TIMEOUT_MS);

  it("atlas-pos-sale works in cloud mode (client credentials with terminal_id)", async () => {
    const run = await runExample("atlas-pos-sale", { ATLAS_MODE: "cloud" });
    expectSuccess(run);
    expect(run.stdout).toContain("cloud mode, terminal TID-00012345");
    expect(run.stdout).toContain("sandbox ledger: 1 sale(s) charged");
  }, EXAMPLE_TIMEOUT_MS);

  it("erip-credit-pipeline stops cleanly at zero credits", async () => {
    const run = await runExample("erip-credit-pipeline");
    expectSuccess(run);
    expect(run.stdout).toContain("BASF: BASF SE (DE) enriched");
    expect(run.stdout).toMatch(/stopped: out of credits at "ASML" .*balance 0/);
    expect(run.stdout).toContain("done: 3 of 6 companies enriched, 0 credits left");
  }, EXAMPLE_TIMEOUT_MS);

  it("eudr-integration-sync upserts by externalId and reports DDS and sync status", async () => {
    const run = await runExample("eudr-integration-sync");
    expectSuccess(run);
    expect(run.stdout).toMatch(/suppliers 1 created, 1 updated/);
    expect(run.stdout).toMatch(/batches +1 created, 1 updated/);
    expect(run.stdout).toMatch(/DDS LOT-2025-0203: not_started/);
    expect(run.stdout).toContain("done: ERP and EUDR are in step");
  }, EXAMPLE_TIMEOUT_MS);

  it("arrotech-oauth-app completes client credentials and authorization code + PKCE", async () => {
    const run = await runExample("arrotech-oauth-app");
    expectSuccess(run);
    expect(run.stdout).toMatch(/\[app\] workflow run run_\w+ queued/);
    expect(run.stdout).toMatch(/\[user\] signed in as usr_acme_dev \(oauth_user\), scopes: data:read/);
    expect(run.stdout).toContain("done: both OAuth flows completed");
  }, EXAMPLE_TIMEOUT_MS);
});
