#!/usr/bin/env node
/**
 * `portico-sandbox`: starts the sandboxes, prints what a person needs to call them, then waits for
 * SIGINT or SIGTERM, closes every server and exits 0. Exit 2: a bad command line; 1: start-up failed.
 */
import { HELP, parseCommandLine, type CliOptions } from "./cli/options.js";
import { renderApi } from "./cli/render.js";
import { readSummary } from "./framework/summary.js";
import { startSandbox } from "./start-sandbox.js";

async function run(options: CliOptions): Promise<number> {
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  const sandbox = await startSandbox({ apis: options.apis, port: options.port, host: options.host });
  const out: string[] = [];
  for (const api of options.apis) {
    out.push(...renderApi(api, sandbox.urls[api], readSummary(sandbox.apis[api].control), options.showSecrets), "");
  }
  if (!options.showSecrets) out.push("Secrets show as fingerprints; --show-secrets prints their export lines (sandbox-only values).");
  out.push(
    'Faults: POST <origin>/__sandbox/faults {"route":"POST /v1/transaction/sale","statuses":[503]}; clock: POST <origin>/__sandbox/clock {"advanceMs":60000}.',
    `ready: ${options.apis.length} API${options.apis.length === 1 ? "" : "s"} on ${options.host} (Ctrl-C to stop)`,
  );
  process.stdout.write(`${out.join("\n")}\n`);
  const signal = await stopRequested;
  await sandbox.stop();
  process.stdout.write(`${signal}: every server closed, sandbox stopped\n`);
  return 0;
}

async function main(): Promise<number> {
  const parsed = parseCommandLine(process.argv.slice(2));
  if (parsed.kind === "help") {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`portico-sandbox: ${parsed.message}\n\n${HELP}\n`);
    return 2;
  }
  return run(parsed.options);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`portico-sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
