/**
 * The demo tour and every example, run as a user would: the tour through `runTour`, each example
 * as a child `node` process (importing the BUILT packages, so run `pnpm build` first; `pnpm test`
 * does) that starts its own sandbox because no base URL is in its environment.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runTour } from "../demo/tour-lib.mjs";

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
}

function runExample(name: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(examplesDir, name, "main.mjs")], { cwd: examplesDir, env: sandboxEnv(env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
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
    expect(result.steps.map((s) => s.name)).toEqual(["Sandbox", "IMS", "EUDR", "Atlas", "Arrotech", "ERIP"]);
    expect(output).toMatch(/token #2 \(refresh-ahead/);
    expect(output).toMatch(/no request carried an expired token/);
    for (const code of ["AUTHENTICATION_REQUIRED", "INVALID_TOKEN_FORMAT", "INVALID_TOKEN ", "TOKEN_REVOKED", "TOKEN_EXPIRED", "INTEGRATION_INACTIVE", "INSUFFICIENT_SCOPES"]) {
      expect(output).toContain(code);
    }
    expect(output).toMatch(/ledger: 1 new sale \(no double charge\)/);
    expect(output).toMatch(/a redirect with a forged state → STATE_MISMATCH/);
    expect(output).toMatch(/next search → 402 INSUFFICIENT_CREDITS after 1 attempt/);
    expect(output).toMatch(/All 6 steps passed/);
    const ims = result.steps.find((s) => s.name === "IMS");
    expect(ims?.facts?.["tokenRequests"]).toBeLessThan(Number(ims?.facts?.["calls"]) / 5);
  }, 90_000);
});

describe("examples against the sandbox", () => {
  it("ims-server-job reports every tenant with refreshed tokens", async () => {
    const run = await runExample("ims-server-job");
    expectSuccess(run);
    expect(run.stdout).toMatch(/tenant 3f1c9a6e-[0-9a-f-]+: \d+ balances, \d+ below 100 \(tokens fetched: [2-9]\)/);
    expect(run.stdout).toMatch(/tenant 9b8e7d6c-[0-9a-f-]+: \d+ balances/);
    expect(run.stdout).toContain("done: 2 of 2 tenants reported");
  }, 90_000);

  it("atlas-pos-sale charges once through 503s and a reset after commit (LAN mode)", async () => {
    const run = await runExample("atlas-pos-sale");
    expectSuccess(run);
    expect(run.stdout).toMatch(/attempt 1 503; retrying/);
    expect(run.stdout).toMatch(/NETWORK_ERROR; retrying .* with the same key/);
    expect(run.stdout).toMatch(/sale APPROVED txn_\w+ .* after 4 attempts/);
    expect(run.stdout).toContain("sandbox ledger: 1 sale(s) charged");
  }, 90_000);

  it("atlas-pos-sale works in cloud mode (client credentials with terminal_id)", async () => {
    const run = await runExample("atlas-pos-sale", { ATLAS_MODE: "cloud" });
    expectSuccess(run);
    expect(run.stdout).toContain("cloud mode, terminal TID-00012345");
    expect(run.stdout).toContain("sandbox ledger: 1 sale(s) charged");
  }, 90_000);

  it("erip-credit-pipeline stops cleanly at zero credits", async () => {
    const run = await runExample("erip-credit-pipeline");
    expectSuccess(run);
    expect(run.stdout).toContain("BASF: BASF SE (DE) enriched");
    expect(run.stdout).toMatch(/stopped: out of credits at "ASML" .*balance 0/);
    expect(run.stdout).toContain("done: 3 of 6 companies enriched, 0 credits left");
  }, 90_000);

  it("eudr-integration-sync upserts by externalId and reports DDS and sync status", async () => {
    const run = await runExample("eudr-integration-sync");
    expectSuccess(run);
    expect(run.stdout).toMatch(/suppliers 1 created, 1 updated/);
    expect(run.stdout).toMatch(/batches +1 created, 1 updated/);
    expect(run.stdout).toMatch(/DDS LOT-2025-0203: not_started/);
    expect(run.stdout).toContain("done: ERP and EUDR are in step");
  }, 90_000);

  it("arrotech-oauth-app completes client credentials and authorization code + PKCE", async () => {
    const run = await runExample("arrotech-oauth-app");
    expectSuccess(run);
    expect(run.stdout).toMatch(/\[app\] workflow run run_\w+ queued/);
    expect(run.stdout).toMatch(/\[user\] signed in as usr_acme_dev \(oauth_user\), scopes: data:read/);
    expect(run.stdout).toContain("done: both OAuth flows completed");
  }, 90_000);
});
