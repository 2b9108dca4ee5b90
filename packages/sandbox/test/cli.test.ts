/**
 * The shipped `portico-sandbox` bin (bin/portico-sandbox.js → dist/cli.js), run as a real process:
 * what it prints, that the printed URLs and credentials work, and that SIGINT/SIGTERM close every
 * server and exit 0. Needs the build (`pnpm --filter @portico/sandbox build`; `pnpm test` builds first).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { API_KEYS } from "../src/apis/atlas/seed.js";

const bin = fileURLToPath(new URL("../bin/portico-sandbox.js", import.meta.url));
const built = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything printed so far. */
  output(): string;
  readonly exited: Promise<number | null>;
}

/** Starts the CLI and resolves once it printed its `ready` line (rejects if it exits first). */
async function start(...args: string[]): Promise<Running> {
  expect(existsSync(built), `${built} is missing: run pnpm --filter @portico/sandbox build`).toBe(true);
  const child = spawn(process.execPath, [bin, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // No start-up deadline: a busy machine only makes it slower (the test's timeout ends a CLI that never starts).
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", () => {
      if (/^ready: /m.test(out)) resolve();
    });
    void exited.then((code) => reject(new Error(`the CLI exited with ${code} before it was ready:\n${out}`)));
  });
  return { child, output: () => out, exited };
}

/** Whether a TCP connection to the URL's port is accepted. */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const urlsIn = (text: string): string[] => [...new Set([...text.matchAll(/http:\/\/127\.0\.0\.1:\d+/g)].map((m) => m[0]))];

describe("portico-sandbox CLI", () => {
  it("prints each API's base URL, token URL, client ids (the SPA's too) and fingerprints, serves, and exits 0 on SIGINT with every port closed", async () => {
    const cli = await start("--api", "ims,atlas,arrotech");
    try {
      const out = cli.output();
      const base = (api: string) => new RegExp(`^${api} · [^\\n]+\\n  base URL +(http://127\\.0\\.0\\.1:\\d+)`, "m").exec(out)?.[1];
      expect(base("ims")).toBeDefined();
      expect(base("atlas")).toBeDefined();
      expect(base("arrotech")).toBeDefined();
      expect(out).not.toMatch(/^eudr|^erip/m);
      expect(out).toMatch(/token URL +http:\/\/127\.0\.0\.1:\d+\/oauth\/token/);
      expect(out).toMatch(/token URL +http:\/\/127\.0\.0\.1:\d+\/v1\/token/);
      expect(out).toMatch(/^ {2}export IMS_SPA_CLIENT_ID=[A-Za-z0-9]{32} +# SPA client id/m);
      expect(out).toMatch(/^ {2}export ARROTECH_SPA_CLIENT_ID=app_[A-Za-z0-9]{16} +# SPA client id/m);
      expect(out).toMatch(/^ {2}export IMS_AUTHORIZE_URL=http:\/\/127\.0\.0\.1:\d+\/authorize/m);
      expect(out).toMatch(/^ {2}ATLAS_API_KEY +sk_test_…[0-9a-f]{8} /m);
      expect(out).toContain('-H "X-Api-Key: $ATLAS_API_KEY"');
      // No secret, only fingerprints.
      expect(out).not.toContain(API_KEYS.full.secret);
      expect(out).not.toMatch(/sk_test_[A-Za-z0-9]{8,}|cs_test_[A-Za-z0-9]{8,}|ak_test_[A-Za-z0-9]{8,}/);

      const atlas = base("atlas") ?? "";
      const health = await fetch(`${atlas}/v1/device/health`, { headers: { "x-api-key": API_KEYS.full.secret } });
      expect(health.status).toBe(200);
      const urls = urlsIn(out);
      expect(urls.length).toBeGreaterThanOrEqual(5);
      for (const url of urls) expect(await accepts(url), url).toBe(true);

      cli.child.kill("SIGINT");
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toMatch(/SIGINT: every server closed/);
      for (const url of urls) expect(await accepts(url), url).toBe(false);
    } finally {
      cli.child.kill("SIGKILL");
    }
  });

  it("prints the secrets as export lines with --show-secrets, binds the port --port names, and exits 0 on SIGTERM", async () => {
    // A port the OS just handed out (EUDR has one origin, so one port), free again once the probe exits.
    const probe = await start("--api", "eudr");
    const port = Number(new URL(urlsIn(probe.output())[0] ?? "").port);
    probe.child.kill("SIGTERM");
    expect(await probe.exited).toBe(0);

    const cli = await start("--api", "eudr", "--show-secrets", "--port", String(port), "--host", "127.0.0.1");
    try {
      expect(cli.output()).toMatch(/^ {2}export EUDR_TOKEN=eudr_live_[0-9a-f]{48} +# /m);
      expect(cli.output()).toContain(`base URL                 http://127.0.0.1:${port}/api/v1/integration\n`);
      cli.child.kill("SIGTERM");
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toMatch(/SIGTERM: every server closed/);
      expect(await accepts(`http://127.0.0.1:${port}`)).toBe(false);
    } finally {
      cli.child.kill("SIGKILL");
    }
  });

  it("prints its help (exit 0) and refuses a bad command line (exit 2) naming the option", async () => {
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args]);
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
        child.once("exit", (code) => resolve({ code, out }));
      });
    const help = await run("--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--api, --apis/);
    expect(help.out).toMatch(/--show-secrets/);
    const badApi = await run("--api", "ims,stripe");
    expect(badApi.code).toBe(2);
    expect(badApi.out).toMatch(/--api: unknown API "stripe"/);
    const badPort = await run("--port", "70000");
    expect(badPort.code).toBe(2);
    expect(badPort.out).toMatch(/--port must be/);
  });
});
