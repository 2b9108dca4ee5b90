#!/usr/bin/env node
/**
 * Consumer apps: what users get from the registry, checked the way they use it. Packs every
 * published package with `pnpm pack`, then builds temporary apps (fixtures in
 * `scripts/consumer-apps/`) that install only those tarballs plus registry packages, and checks:
 *
 *   tarballs          no export condition points outside a tarball, LICENSE in each, no workspace: range
 *   node-esm/cjs      an ES module app and a CommonJS app create a generated client, call it, and
 *                     recognise its errors with the other module system's copy of core
 *   ts<v>-<mode>      `tsc --noEmit`, strict, skipLibCheck false, node16/nodenext/bundler, on TS 5.9 and 7
 *   codegen-<pm>      `portico generate`, TypeScript 7 compiles the output, node runs it; npm and pnpm
 *   zod-4.1           an app pinned to zod 4.1 ends up with one zod copy, used by core and the client
 *   vite-chromium     a Vite app (core, browser, the IMS client) builds with no Node built-in; served
 *                     from loopback, headless Chromium runs it: the client lists items from an API on
 *                     another origin (CORS) with a bearer token, and a PKCE sign-in starts
 *   edge-runtime      an edge function bundled with esbuild for browsers/workers runs in Vercel's
 *                     `edge-runtime` (no eval) and lists items from the same API with a bearer token
 *
 * Prints one line per case and exits 1 if any fails, with the reason. Run after `pnpm build`
 * (`pnpm lint` runs it last). npm downloads are cached across apps and runs in
 * `$TMPDIR/portico-consumer-apps-cache`. Chromium is Debian's (`/usr/bin/chromium`), driven by the
 * repository's `playwright-core`; no browser is downloaded.
 *
 *   node scripts/consumer-apps.mjs [--only node-esm,ts7,codegen-pnpm] [--keep]
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ITEMS, serveStatic, startItemsApi } from "./lib/consumer-servers.mjs";
import { manifestProblems, pack, repositoryLicense, tarballProblems } from "./lib/published-package.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(root, "scripts", "consumer-apps");
const TYPESCRIPT = [
  ["5.9", "~5.9.3"],
  ["7", "7.0.2"],
];
const ZOD_MINOR = "~4.1.0";
const SPEC = join(root, "specs", "ims.yaml");
/** Vite 6: runs on any Node 20 (7 and 8 want 20.19 or later). */
const VITE = "~6.4.0";
/** Vercel's edge runtime, and the esbuild that bundles for it (vite 6's own minor: one cached binary). */
const EDGE_RUNTIME = "^4.0.1";
const ESBUILD = "~0.25.0";
/** Debian's Chromium, driven by the repository's `playwright-core`; never a downloaded browser. */
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? new Set(process.argv[onlyIndex + 1].split(",")) : undefined;
const keep = process.argv.includes("--keep");
const work = mkdtempSync(join(tmpdir(), "portico-consumer-apps-"));
const cache = join(tmpdir(), "portico-consumer-apps-cache");
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** The environment of every tool run here: the runner's own, without what `pnpm run` adds (its npm_config_*, its PATH entries). */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|pnpm_|PNPM_)/i.test(key) && key !== "NODE_OPTIONS" && key !== "INIT_CWD"),
);
env.PATH = (process.env.PATH ?? "")
  .split(":")
  .filter((entry) => !entry.includes("node_modules"))
  .join(":");
Object.assign(env, {
  npm_config_cache: join(cache, "npm"),
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
  npm_config_loglevel: "error",
  npm_config_prefer_offline: "true",
  COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
});

/** Runs a command; resolves with its output, rejects with the command and the tail of its output. */
function run(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0) return resolve(output);
      // The last lines say why; stack frames would crowd them out.
      const tail = output.trim().split("\n").filter((line) => !/^\s+at /.test(line)).slice(-25).join("\n  ");
      reject(new Error(`\`${[command, ...args].join(" ")}\` exited ${code}:\n  ${tail}`));
    });
  });
}

// ---- cases -----------------------------------------------------------------------------------

const results = [];
async function check(name, body) {
  // Every app installs the tarballs: packing always runs.
  if (only && name !== "tarballs" && !only.has(name) && ![...only].some((o) => name.startsWith(`${o}-`))) return;
  const started = performance.now();
  try {
    const detail = await body();
    results.push({ name, ok: true });
    console.log(`ok    ${name.padEnd(16)} ${detail} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL  ${name.padEnd(16)} ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A memoised step shared by several cases (an install): every case that needs it fails with its reason. */
function once(step) {
  let promise;
  return () => (promise ??= step());
}

/** Copies a fixture into a new app directory with the given package.json. */
function app(name, fixture, manifest) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  if (fixture) cpSync(join(fixtures, fixture), dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: `consumer-${name}`, version: "0.0.0", private: true, type: "module", ...manifest }, null, 2)}\n`);
  return dir;
}

const npmInstall = (dir) => run("npm", ["install", "--no-audit", "--no-fund"], dir);
const tsc = (dir, ...args) => run(process.execPath, [join(dir, "node_modules", "typescript", "bin", "tsc"), ...args], dir);

// ---- pack ------------------------------------------------------------------------------------

const tarballDir = join(work, "tarballs");
mkdirSync(tarballDir);
/** Published package name → `file:` spec of its tarball. */
const tarballs = {};
const published = readdirSync(join(root, "packages"))
  .map((dir) => ({ dir: join(root, "packages", dir), manifest: JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) }))
  .filter(({ manifest }) => manifest.private !== true);

await check("tarballs", async () => {
  const problems = [];
  const license = repositoryLicense(root);
  for (const { dir, manifest } of published) {
    if (!existsSync(join(dir, "dist"))) throw new Error(`${manifest.name} is not built: run \`pnpm build\` first`);
    problems.push(...manifestProblems(manifest));
    const tarball = pack(dir, tarballDir);
    tarballs[manifest.name] = `file:${tarball}`;
    problems.push(...tarballProblems(tarball, { license }));
  }
  if (problems.length > 0) throw new Error(problems.join("\n  "));
  return `${published.length} packed: no condition outside the tarball, LICENSE in each, no workspace: range`;
});
if (!results[0]?.ok) {
  // Every app installs these tarballs: none is built from a broken one.
  console.log("consumer-apps: the tarballs are not right; no app was built");
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}

const pick = (...names) => Object.fromEntries(names.map((name) => [name, tarballs[name]]));
/** npm overrides that pin every transitive use of a packed package to its tarball (npm never asks the registry for it). */
const npmOverrides = (deps) => Object.fromEntries(Object.keys(deps).filter((name) => name in tarballs).map((name) => [name, `$${name}`]));
const LIBRARIES = Object.keys(tarballs);

// ---- node apps (ESM and CJS) -----------------------------------------------------------------

const nodeApp = once(async () => {
  const dependencies = { ...pick("@portico/core", "@portico/node", "@atrope-ai/api-client"), zod: "^4.0.0" };
  const dir = app("node-app", "node-app", { dependencies, overrides: npmOverrides(dependencies) });
  await npmInstall(dir);
  return dir;
});
await check("node-esm", async () => {
  const dir = await nodeApp();
  await run(process.execPath, ["index.mjs"], dir);
  return "generated client runs; its ApiError is one to the CJS copy's isApiError/isPorticoError";
});
await check("node-cjs", async () => {
  const dir = await nodeApp();
  await run(process.execPath, ["index.cjs"], dir);
  return "generated client runs; its SDK error is one to the ESM copy's isPorticoError";
});

// ---- strict TypeScript, TS 5.9 and 7 ---------------------------------------------------------

const MODES = {
  node16: { module: "node16", moduleResolution: "node16", include: ["src/**/*.ts", "src/**/*.cts"] },
  nodenext: { module: "nodenext", moduleResolution: "nodenext", include: ["src/**/*.ts", "src/**/*.cts"] },
  bundler: { module: "esnext", moduleResolution: "bundler", include: ["src/**/*.ts"] },
};
for (const [version, range] of TYPESCRIPT) {
  const typesApp = once(async () => {
    const dependencies = { ...pick(...LIBRARIES), zod: "^4.0.0" };
    const dir = app(`types-app-ts${version}`, "types-app", {
      dependencies,
      devDependencies: { typescript: range, "@types/node": "^20.19.0" },
      overrides: npmOverrides(dependencies),
    });
    // Every published package's main entry, beside the fixture's own use of them, so a package the
    // fixture does not import yet is still checked.
    const every = LIBRARIES.map((name, i) => `export type * as package${i} from "${name}";`).join("\n");
    writeFileSync(join(dir, "src", "every-package.ts"), `// Written by scripts/consumer-apps.mjs.\n${every}\n`);
    for (const [mode, { include, ...options }] of Object.entries(MODES)) {
      const compilerOptions = { ...options, target: "es2022", lib: ["es2022", "dom", "dom.iterable"], types: ["node"], strict: true, skipLibCheck: false, noEmit: true };
      writeFileSync(join(dir, `tsconfig.${mode}.json`), `${JSON.stringify({ compilerOptions, include }, null, 2)}\n`);
    }
    await npmInstall(dir);
    const installed = JSON.parse(readFileSync(join(dir, "node_modules", "typescript", "package.json"), "utf8")).version;
    if (!installed.startsWith(version === "7" ? "7." : "5.9.")) throw new Error(`expected TypeScript ${range}, npm installed ${installed}`);
    return { dir, installed };
  });
  for (const mode of Object.keys(MODES)) {
    await check(`ts${version}-${mode}`, async () => {
      const { dir, installed } = await typesApp();
      await tsc(dir, "-p", `tsconfig.${mode}.json`);
      return `tsc ${installed} --noEmit, strict, skipLibCheck false: the types of all ${LIBRARIES.length} packages compile`;
    });
  }
}

// ---- codegen apps (npm, pnpm) on TypeScript 7 ------------------------------------------------

/** The README's install line (`@portico/core zod`, the CLI as a dev dependency) in a project on TypeScript 7. */
function codegenManifest() {
  return { dependencies: { ...pick("@portico/core"), zod: "^4.0.0" }, devDependencies: { ...pick("@portico/codegen"), typescript: "7.0.2" } };
}
function codegenTsconfig(dir) {
  const compilerOptions = { module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom"], types: [], strict: true, skipLibCheck: false, outDir: "dist", rootDir: "src" };
  writeFileSync(join(dir, "tsconfig.json"), `${JSON.stringify({ compilerOptions, include: ["src"] }, null, 2)}\n`);
}
async function generateCompileRun(dir) {
  await run(join(dir, "node_modules", ".bin", "portico"), ["generate", SPEC, "--out", "src/generated"], dir);
  await tsc(dir, "-p", "tsconfig.json");
  const out = await run(process.execPath, ["dist/main.js"], dir);
  if (!out.includes("ok")) throw new Error(`dist/main.js printed: ${out}`);
  const version = JSON.parse(readFileSync(join(dir, "node_modules", "typescript", "package.json"), "utf8")).version;
  return `portico generate ims.yaml, tsc ${version} compiles it, node runs the client`;
}

await check("codegen-npm", async () => {
  const manifest = codegenManifest();
  const dir = app("codegen-npm", "codegen-app", { ...manifest, overrides: npmOverrides({ ...manifest.dependencies, ...manifest.devDependencies }) });
  codegenTsconfig(dir);
  await npmInstall(dir);
  return generateCompileRun(dir);
});

await check("codegen-pnpm", async () => {
  const manifest = codegenManifest();
  const dir = app("codegen-pnpm", "codegen-app", {
    ...manifest,
    packageManager: rootManifest.packageManager,
    // The packed core for codegen's own dependency on it too (it is not on the registry).
    pnpm: { overrides: pick("@portico/core") },
  });
  codegenTsconfig(dir);
  await run("pnpm", ["install", "--no-frozen-lockfile", `--store-dir=${join(cache, "pnpm-store")}`], dir);
  return generateCompileRun(dir);
});

// ---- an app on another zod 4 minor -----------------------------------------------------------

await check("zod-4.1", async () => {
  const dependencies = { ...pick("@portico/core", "@atrope-ai/api-client"), zod: ZOD_MINOR };
  const dir = app("zod-app", "zod-app", { dependencies, overrides: npmOverrides(dependencies) });
  await npmInstall(dir);
  const tree = JSON.parse(await run("npm", ["ls", "zod", "--all", "--json", "--long"], dir));
  const copies = new Set();
  (function walk(node) {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (name === "zod" && child.path) copies.add(`${child.version} at ${child.path.slice(dir.length + 1)}`);
      walk(child);
    }
  })(tree);
  if (copies.size !== 1) throw new Error(`expected one zod copy, found ${copies.size}: ${[...copies].join(", ")}`);
  const [copy] = copies;
  if (!copy.startsWith("4.1.")) throw new Error(`expected the app's zod ${ZOD_MINOR}, found ${copy}`);
  await run(process.execPath, ["check.mjs"], dir);
  return `one zod copy (${copy}); client options and error bodies validated with it`;
});

// ---- a Vite app in Chromium, and an edge runtime ---------------------------------------------

/** The stand-in IMS API both apps call over loopback (CORS on): started once, its request log emptied for each case. */
let itemsApiServer;
const startApi = once(async () => (itemsApiServer = await startItemsApi()));
async function itemsApi() {
  const api = await startApi();
  api.requests.length = 0;
  return api;
}
/** The requests `api` got carrying `token`, or the reason none did. */
function requestsWith(api, token) {
  const seen = api.requests.filter((r) => r.authorization === `Bearer ${token}`);
  if (seen.length > 0) return seen;
  const got = api.requests.map((r) => `${r.method} ${r.path} (authorization: ${r.authorization ? "another token" : "none"})`);
  throw new Error(`the API got no request with the app's bearer token; it got: ${got.join(", ") || "nothing"}`);
}
/** Checks what an app reported of its `GET /v1/items` call. */
function checkListed(result) {
  if (result?.error) throw new Error(`GET /v1/items failed in the app: ${result.error.code}: ${result.error.message}`);
  if (result?.thrown) throw new Error(`the app threw: ${result.thrown}`);
  const want = ITEMS.map((item) => item.sku).join(",");
  if (result?.skus?.join(",") !== want) throw new Error(`expected the items ${want}, the app reported ${JSON.stringify(result)}`);
}
/** A `node:` specifier, or Vite's stand-in for a Node built-in it could not bundle. */
const NODE_BUILTIN = /["'`]node:[a-z_/]+["'`]|__vite-browser-external/;

await check("vite-chromium", async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run \`bash scripts/ensure-system-deps.sh\` (Debian: apt-get install -y chromium)`);
  const dependencies = { ...pick("@portico/core", "@portico/browser", "@atrope-ai/api-client"), zod: "^4.0.0" };
  const dir = app("vite-app", "vite-app", { dependencies, devDependencies: { vite: VITE }, overrides: npmOverrides(dependencies) });
  await npmInstall(dir);
  const vite = JSON.parse(readFileSync(join(dir, "node_modules", "vite", "package.json"), "utf8")).version;
  const log = await run(process.execPath, [join(dir, "node_modules", "vite", "bin", "vite.js"), "build"], dir);
  // Vite replaces a Node built-in by an empty module and says so only in its log.
  const externalized = log.split("\n").filter((line) => line.includes("externalized for browser compatibility"));
  if (externalized.length > 0) throw new Error(`vite replaced Node built-ins by empty modules:\n  ${externalized.join("\n  ")}`);
  const assets = join(dir, "dist", "assets");
  const scripts = readdirSync(assets).filter((file) => file.endsWith(".js"));
  for (const file of scripts) {
    const found = readFileSync(join(assets, file), "utf8").match(NODE_BUILTIN);
    if (found) throw new Error(`the bundle dist/assets/${file} imports a Node built-in: ${found[0]}`);
  }
  const { chromium } = await import("playwright-core");
  const api = await itemsApi();
  const site = await serveStatic(join(dir, "dist"));
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
    const token = `vite-${randomUUID()}`;
    await page.goto(`${site.origin}/?${new URLSearchParams({ api: api.origin, token })}`);
    const handle = await page.waitForFunction(() => window.__result, undefined, { timeout: 20_000 }).catch((error) => {
      throw new Error(`the page reported no result (${error.message.split("\n")[0]})${problems.length ? `; page errors: ${problems.join("; ")}` : ""}`);
    });
    const result = await handle.jsonValue();
    checkListed(result);
    const [request] = requestsWith(api, token);
    if (request.origin !== site.origin) throw new Error(`expected the call from the page's origin ${site.origin}, it came from ${request.origin}`);
    if (result.pkce !== true) throw new Error("beginSignIn gave no S256 code challenge of 43 characters");
  } finally {
    await browser?.close();
    await site.close();
  }
  return `vite ${vite} builds ${scripts.length} script(s) without Node built-ins; in Chromium the client lists items across origins with its bearer token, and beginSignIn makes a PKCE challenge`;
});

await check("edge-runtime", async () => {
  const dependencies = { ...pick("@portico/core", "@atrope-ai/api-client"), zod: "^4.0.0" };
  const dir = app("edge-app", "edge-app", { dependencies, devDependencies: { "edge-runtime": EDGE_RUNTIME, esbuild: ESBUILD }, overrides: npmOverrides(dependencies) });
  await npmInstall(dir);
  const requireFromApp = createRequire(join(dir, "package.json"));
  const esbuild = requireFromApp("esbuild");
  const { EdgeRuntime } = requireFromApp("edge-runtime");
  // As Vercel's and Cloudflare's bundlers do: worker/browser conditions, and a Node built-in
  // anywhere in the graph is a build error ("Could not resolve").
  const built = await esbuild.build({
    entryPoints: [join(dir, "src", "edge.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    conditions: ["edge-light", "worker", "browser"],
    target: "es2022",
    minify: true,
    logLevel: "silent",
  });
  const code = built.outputFiles[0].text;
  const api = await itemsApi();
  const token = `edge-${randomUUID()}`;
  // No code generation (eval, new Function), as on the edge; the function's settings as globals.
  const runtime = new EdgeRuntime({ initialCode: code, extend: (context) => Object.assign(context, { IMS_API: api.origin, IMS_TOKEN: token }) });
  const response = await runtime.dispatchFetch("http://edge.test/items");
  await response.waitUntil();
  if (response.status !== 200) throw new Error(`the edge function answered ${response.status}: ${await response.text()}`);
  checkListed(await response.json());
  requestsWith(api, token);
  const version = JSON.parse(readFileSync(join(dir, "node_modules", "edge-runtime", "package.json"), "utf8")).version;
  return `esbuild bundles it for workers (${(code.length / 1024).toFixed(0)} kB min, no Node built-in); edge-runtime ${version} runs it and the client lists items with its bearer token`;
});

await itemsApiServer?.close();

// ---- summary ---------------------------------------------------------------------------------

if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`apps kept in ${work}`);
const failed = results.filter((r) => !r.ok);
console.log(`consumer-apps: ${results.length - failed.length}/${results.length} passed${failed.length ? `; failed: ${failed.map((r) => r.name).join(", ")}` : ""}`);
process.exitCode = failed.length > 0 ? 1 : 0;
