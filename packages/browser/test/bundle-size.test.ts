import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { browserMetafile } from "./support/bundle.js";

/**
 * The size budget, measured by the real size-limit (preset-small-lib, esbuild + gzip) exactly as
 * `pnpm --filter @portico/browser size` runs it, with openapi-fetch measured in the same run.
 */
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const SIZE_LIMIT = fileURLToPath(new URL("../node_modules/.bin/size-limit", import.meta.url));

interface SizeResult {
  readonly name: string;
  readonly size: number;
  readonly sizeLimit?: number;
  readonly passed?: boolean;
}

async function runSizeLimit(): Promise<SizeResult[]> {
  try {
    const { stdout } = await promisify(execFile)(SIZE_LIMIT, ["--json"], { cwd: PACKAGE_DIR, timeout: 600_000 });
    return JSON.parse(stdout) as SizeResult[];
  } catch (error) {
    // size-limit exits 1 when a budget is exceeded but still prints its JSON report.
    const stdout = (error as { stdout?: string }).stdout;
    if (stdout !== undefined && stdout.trim().startsWith("[")) return JSON.parse(stdout) as SizeResult[];
    throw error;
  }
}

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(2)} kB`;

describe("bundle size", () => {
  it("prints the sizes, with openapi-fetch's for comparison, and stays within the budget", async () => {
    const results = await runSizeLimit();
    const lines = results.map((r) => `${r.name.padEnd(100)} ${kB(r.size).padStart(9)}${r.sizeLimit !== undefined ? `  (budget ${kB(r.sizeLimit)}: ${r.passed ? "ok" : "EXCEEDED"})` : ""}`);
    console.log(`size-limit, min+gzip:\n${lines.join("\n")}`);

    const openapiFetch = results.find((r) => r.name.startsWith("openapi-fetch"));
    expect(openapiFetch?.size).toBeGreaterThan(1000);
    const budgeted = results.filter((r) => r.sizeLimit !== undefined);
    expect(budgeted.map((r) => r.name)).toEqual([
      expect.stringContaining("@portico/browser + @portico/core + @atrope-ai/api-client"),
      expect.stringContaining("with a static bearer token"),
    ]);
    for (const result of budgeted) expect({ name: result.name, size: result.size, passed: result.passed }).toMatchObject({ passed: true });
  }, 600_000);

  it("bundles for the browser with no Node built-in and no classic zod", async () => {
    const metafile = await browserMetafile({ entryPoints: [fileURLToPath(new URL("../src/index.ts", import.meta.url))] });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((input) => input.startsWith("node:") || /\/zod\/v4\/classic\//.test(input))).toEqual([]);
  });

  it("leaves out of the budgets only modules that are loaded by import() alone", async () => {
    // The budgets mark lazily loaded modules external (what a page loads up front). A module on that
    // list that some code imported statically would then be left out of the count wrongly. Every
    // name must be a module of the sign-in app (the static-key app has no browser code).
    const lazy = (createRequire(import.meta.url)("../.size-limit.cjs") as { lazyModules: string[] }).lazyModules;
    const importsOf = new Map<string, { path: string; kind: string }[]>();
    for (const app of ["size/ims-app.js", "size/ims-static-key.js"]) {
      const metafile = await browserMetafile({ entryPoints: [fileURLToPath(new URL(`../${app}`, import.meta.url))], splitting: true, outdir: "/nonexistent" });
      importsOf.set(app, Object.values(metafile.inputs).flatMap((input) => input.imports));
    }
    for (const name of lazy) {
      const module = name.replace(/^\.\//, "/").replace(/\.js$/, ".ts");
      const found = [...importsOf].map(([app, imports]) => ({ app, kinds: imports.filter((i) => i.path.endsWith(module)).map((i) => i.kind) }));
      expect(found.find((f) => f.app === "size/ims-app.js")?.kinds.length, `${name} in size/ims-app.js`).toBeGreaterThan(0);
      for (const { app, kinds } of found) expect(kinds, `${name} in ${app}`).toEqual(kinds.map(() => "dynamic-import"));
    }
  });
});
