#!/usr/bin/env node
import { parseArgs } from "node:util";
import { SANDBOX_API_NAMES, isSandboxApiName } from "./framework/origins.js";
import { readSummary } from "./framework/summary.js";
import { startSandbox } from "./start-sandbox.js";
import type { SandboxApiName } from "./types.js";

const HELP = `portico sandbox: local reference servers of the five APIs.

Usage: pnpm sandbox [--apis atlas,ims] [--port 0] [--host 127.0.0.1] [--show-secrets]

  --apis          comma-separated APIs to start (default: ${SANDBOX_API_NAMES.join(",")})
  --port          0 = free ports (default); N = consecutive ports from N
  --host          interface to bind (default 127.0.0.1)
  --show-secrets  also print "export VAR=..." lines with the seeded sandbox-only secrets
  -h, --help      this text

Ctrl-C stops every server.`;

async function main(): Promise<number> {
  let values: { apis?: string; port?: string; host?: string; "show-secrets"?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        apis: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        "show-secrets": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const apis = values.apis?.split(",").map((s) => s.trim()).filter(Boolean) ?? [...SANDBOX_API_NAMES];
  const unknown = apis.filter((a) => !isSandboxApiName(a));
  if (unknown.length) {
    process.stderr.write(`--apis: unknown API ${unknown.join(", ")}; known: ${SANDBOX_API_NAMES.join(", ")}\n`);
    return 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be 0 or a TCP port, got ${values.port}\n`);
    return 2;
  }
  const sandbox = await startSandbox({ apis: apis as SandboxApiName[], port, ...(values.host ? { host: values.host } : {}) });
  const out: string[] = ["portico sandbox is running (Ctrl-C to stop)", ""];
  for (const api of apis as SandboxApiName[]) {
    out.push(`${api}`);
    for (const [origin, url] of Object.entries(sandbox.urls[api] as Record<string, string>)) out.push(`  ${origin.padEnd(6)} ${url}`);
    const summary = readSummary(sandbox.apis[api].control);
    if (summary) {
      for (const c of summary.credentials) out.push(`  ${c.env.padEnd(28)} ${c.fingerprint.padEnd(22)} ${c.label}`);
      if (values["show-secrets"]) for (const c of summary.credentials) out.push(`  export ${c.env}=${c.secret}`);
      for (const command of summary.commands) out.push(`  $ ${command}`);
    }
    out.push("");
  }
  out.push("Faults: POST/DELETE <api origin>/__sandbox/faults; clock: POST <api origin>/__sandbox/clock {\"advanceMs\":n}.");
  if (!values["show-secrets"]) out.push("Run with --show-secrets to print the export lines of the sandbox-only credentials.");
  process.stdout.write(`${out.join("\n")}\n`);

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sandbox.stop();
  process.stdout.write("sandbox stopped\n");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sandbox failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
