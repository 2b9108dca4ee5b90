/**
 * What a credential costs in heap, measured in a child process against core as it ships: 10,000
 * credentials of one kind built in a loop (a tenant fleet), the heap read after full GCs until it
 * stops shrinking, divided by 10,000. Inputs (ids, secrets) are allocated before the first
 * reading. A tenant client's budget is 600 B, of which its credential may take about 350 B; a
 * static key or token holds its secret, fingerprint and kind, its behaviour on a shared prototype.
 */
import { describe, expect, it } from "vitest";
import { runWithCore } from "../promises/support/child.js";

const SCRIPT = `
import v8 from "node:v8";
import vm from "node:vm";
import * as core from "./core.mjs";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");
const kind = process.argv[2];
const n = 10_000;
const settled = () => {
  let last = Infinity;
  for (let i = 0; i < 20; i++) {
    for (let j = 0; j < 4; j++) gc();
    const now = process.memoryUsage().heapUsed;
    if (Math.abs(last - now) < 1024) return now;
    last = now;
  }
  return last;
};
const ids = Array.from({ length: n }, (_, i) => String(i).padStart(6, "0"));
const tenants = ids.map((id) => "tenant-" + id);
const clientIds = ids.map((id) => "cid-" + id);
const secrets = ids.map((id) => "secret-" + id + "-0123456789abcdef");
const tokens = ids.map((id) => "tok_live_" + id + "abcdefghijklmnopq");
const keys = ids.map((id) => "sk_live_" + id + "abcdefghijklmnop");
const tokenUrl = "https://atrope.us.auth0.com/oauth/token";
const build = {
  clientCredentials: (i) => core.clientCredentials({ tokenUrl, clientId: clientIds[i], clientSecret: secrets[i], audience: "https://api.atrope.dev", bodyEncoding: "json", tenant: tenants[i] }),
  bearerToken: (i) => core.bearerToken(tokens[i]),
  apiKey: (i) => core.apiKey(keys[i]),
  basicAuth: (i) => core.basicAuth(clientIds[i], secrets[i]),
}[kind];
{
  const warm = [];
  for (let i = 0; i < 50; i++) warm.push(build(i));
}
const keep = new Array(n).fill(0);
const before = settled();
for (let i = 0; i < n; i++) keep[i] = build(i);
const after = settled();
let kinds = 0;
for (const credential of keep) kinds += credential.kind.length;
console.log(JSON.stringify({ bytesPerCredential: (after - before) / n, kinds }));
`;

async function bytesPerCredential(kind: string): Promise<number> {
  const run = await runWithCore(SCRIPT, [kind]);
  expect(run.exitCode, run.stderr).toBe(0);
  return (run.result as { bytesPerCredential: number }).bytesPerCredential;
}

describe("heap per credential, 10,000 built in a loop", () => {
  it.each([
    ["clientCredentials", 350],
    ["bearerToken", 200],
    ["apiKey", 200],
    ["basicAuth", 250],
  ])("%s stays within %i B", async (kind, budget) => {
    const bytes = await bytesPerCredential(kind);
    console.log(`heap per ${kind} credential: ${bytes.toFixed(1)} B`);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(budget);
  });
});
