// Browser bundle cost: min+gzip of portico's packages and of an app entry per generated client,
// beside openapi-fetch alone and ky alone, all built with the same esbuild settings from the
// BUILT packages (dist), as an app's bundler would see them.
//
//   node bench/bundle.mjs
//
// esbuild: bundle, minify, format esm, platform browser, target es2022; gzip level 9 (zlib).
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import ts from "typescript";
import { benchDir, bytes, printTable, ratio, writeResults } from "./lib/report.mjs";
import { floorRows } from "./lib/summary.mjs";

/**
 * Named exports of @portico/core a generated client may opt into, one marginal size each: the static-key
 * app plus `import { X } from "@portico/core"` (X exported, so it is kept), minus the static-key app.
 * Names not (yet) in core's built exports print "not available yet". Add a stage: one more name here.
 */
const STAGES = [
  "creditsStage",
  "rateLimitStage",
  "ietfRateLimitStage",
  "scopesStage",
  "formBodyStage",
  "multipartBodyStage",
  "serverVariablesStage",
  "paginationStage",
  "streamStage",
];

/** min+gzip targets by entry id. */
const TARGETS = {
  "static-key-ims": 9000, // createImsApiClient + bearerToken("…") from @portico/core, no browser package
  "app-ims": 14000, // core + browser sign-in + IMS client
};
const dir = join(benchDir, ".work", "bundle");
mkdirSync(dir, { recursive: true });
const esbuild = await import("esbuild");

const SETTINGS = { bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", write: false, metafile: true, logLevel: "silent" };
const browserApp = 'export { beginSignIn, completeSignIn, restoreSession } from "@portico/browser";';
const clients = [
  { pkg: "@atrope-ai/api-client", factory: "createImsApiClient", baseUrl: "https://api.atrope.dev", id: "ims" },
  { pkg: "@nentropy/api-client", factory: "createEudrApiClient", baseUrl: "https://backend.joinnentropy.com/api/v1/integration", id: "eudr" },
  { pkg: "@atlas-softpos/api-client", factory: "createAtlasApiClient", baseUrl: "https://api.atlas-softpos.com", id: "atlas" },
  { pkg: "@arrotech/api-client", factory: "createArrotechApiClient", baseUrl: "https://prod.api.arrotechsolutions.com", id: "arrotech" },
  { pkg: "@erip/api-client", factory: "createEripApiClient", baseUrl: "https://api.erip.example", id: "erip" },
];
const STATIC_TOKEN = "static-token-0123456789abcdef0123456789abcdef";

/** An app that builds client `c` with a static bearer token from @portico/core (no browser package). */
const staticKeyApp = (c) =>
  `import { ${c.factory} } from "${c.pkg}";\nimport { bearerToken } from "@portico/core";\n` +
  `export const client = ${c.factory}({ baseUrl: "${c.baseUrl}", auth: bearerToken("${STATIC_TOKEN}") });\n`;
/** The same app with core's createClient and an empty descriptor in place of a generated client. */
const noClientApp =
  'import { bearerToken, createClient } from "@portico/core";\n' +
  'const descriptor = { name: "none", servers: [], securitySchemes: {}, security: [], operations: {} };\n' +
  `export const client = createClient(descriptor, { baseUrl: "https://api.example.com", auth: bearerToken("${STATIC_TOKEN}") });\n`;
const ims = clients[0];

const entries = [
  { id: "core", label: "@portico/core (all exports)", source: 'export * from "@portico/core";' },
  { id: "browser", label: "@portico/browser (all exports, core included as it needs)", source: 'export * from "@portico/browser";' },
  { id: "static-key-ims", label: `static-key IMS client (${ims.factory} + bearerToken("…") from @portico/core, no browser package)`, source: staticKeyApp(ims) },
  ...clients.map((c) => ({
    id: `app-${c.id}`,
    label: `core + browser sign-in + ${c.pkg} (factory used)`,
    source: `import { ${c.factory} } from "${c.pkg}";\n${browserApp}\nexport const client = ${c.factory}({ baseUrl: "${c.baseUrl}" });\n`,
  })),
  ...clients.map((c) => ({
    id: `client-${c.id}`,
    label: `core + ${c.pkg} only (no browser package)`,
    source: `import { ${c.factory} } from "${c.pkg}";\nexport const client = ${c.factory}({ baseUrl: "${c.baseUrl}" });\n`,
  })),
  { id: "openapi-fetch", label: "openapi-fetch alone (createClient used)", source: 'import createClient from "openapi-fetch";\nexport const client = createClient({ baseUrl: "https://api.atrope.dev" });\n', baseline: true },
  { id: "ky", label: "ky alone (ky.create used)", source: 'import ky from "ky";\nexport const api = ky.create({ prefixUrl: "https://api.atrope.dev" });\n' },
];

const gzipOf = (code) => gzipSync(code, { level: 9 }).length;
const cleanPath = (path) => path.replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(/^\.\.\/\.\.\/\.\.\//, "");

/** Bundles `source` (written to .work/bundle/<id>.mjs): sizes, the largest inputs, the output's export names. */
async function measureEntry(id, source, extra = {}) {
  const file = join(dir, `${id}.mjs`);
  writeFileSync(file, `${source}\n`);
  const result = await esbuild.build({ ...SETTINGS, ...extra, entryPoints: [file] });
  const code = result.outputFiles[0].contents;
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output.inputs)
    .map(([path, info]) => ({ path: cleanPath(path), bytes: info.bytesInOutput }))
    .filter((i) => i.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return {
    minified: code.length,
    gzip: gzipOf(code),
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    topInputs: inputs.slice(0, 8),
    exports: output.exports ?? [],
  };
}
/**
 * Bundles `source` again with code splitting (esbuild `splitting: true`, format esm, into .work/bundle/split/<id>),
 * as an app's bundler does: chunks that core loads with `import()` (the logger) become files of their own.
 * Initial = the entry chunk plus every chunk it reaches through static imports (what loads before the app runs);
 * lazy = each chunk reached only through a dynamic `import()`. Sizes of several files are sums of per-file sizes
 * (each file is compressed and fetched on its own). Throws if a chunk loaded lazily is also reached statically.
 */
async function measureSplit(id) {
  const outdir = join(dir, "split", id);
  const result = await esbuild.build({ ...SETTINGS, splitting: true, outdir, entryPoints: [join(dir, `${id}.mjs`)] });
  const outputs = result.metafile.outputs;
  const code = new Map(result.outputFiles.map((f) => [relative(process.cwd(), f.path), f.contents]));
  // The app's own entry: esbuild marks every chunk reached by import() as an entry point too.
  const [entryChunk] = Object.keys(outputs).filter((name) => outputs[name].entryPoint?.endsWith(`/${id}.mjs`));
  const reach = (roots) => {
    const seen = new Set();
    const stack = [...roots];
    while (stack.length) {
      const name = stack.pop();
      if (seen.has(name)) continue;
      seen.add(name);
      for (const i of outputs[name].imports) if (i.kind === "import-statement") stack.push(i.path);
    }
    return seen;
  };
  const initial = reach([entryChunk]);
  const dynamic = new Set(Object.values(outputs).flatMap((o) => o.imports.filter((i) => i.kind === "dynamic-import").map((i) => i.path)));
  const lazy = [...reach([...dynamic])].filter((name) => !initial.has(name));
  // Every module some input loads with import() must sit in a chunk outside the initial set; if it were
  // also imported statically somewhere, esbuild would move it into a chunk the entry loads up front.
  const lazyModules = Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.kind === "dynamic-import").map((i) => i.path));
  for (const module of lazyModules) {
    const home = Object.keys(outputs).find((name) => outputs[name].inputs[module]?.bytesInOutput > 0);
    if (home !== undefined && initial.has(home)) throw new Error(`${cleanPath(module)} is loaded with import() but also imported statically, so it is in the initial chunks`);
  }
  const size = (names) => ({ minified: names.reduce((n, name) => n + code.get(name).length, 0), gzip: names.reduce((n, name) => n + gzipOf(code.get(name)), 0) });
  const inputsOf = (name) => Object.entries(outputs[name].inputs).filter(([, i]) => i.bytesInOutput > 0).map(([path]) => cleanPath(path));
  // Up front in one file: the entry with every module loaded by import() left out, as Rollup (Vite) and
  // webpack ship it: they keep a module that static code and a lazy chunk share in the entry chunk, where
  // esbuild's splitting makes each such module a file of its own, compressed apart from the entry.
  const alone = await esbuild.build({ ...SETTINGS, entryPoints: [join(dir, `${id}.mjs`)], external: lazyModules.map((module) => `./${basename(module)}`) });
  const aloneCode = alone.outputFiles[0].contents;
  for (const module of lazyModules) if (alone.metafile.inputs[module] !== undefined) throw new Error(`${cleanPath(module)} was not left out of the up-front bundle`);
  return {
    upFront: { minified: aloneCode.length, gzip: gzipOf(aloneCode) },
    initial: { chunks: initial.size, ...size([...initial]) },
    lazy: lazy.map((name) => ({ chunk: basename(name), ...size([name]), inputs: inputsOf(name) })),
    lazyModulesChecked: lazyModules.map(cleanPath),
  };
}
const errorText = (error) => `not available yet: ${error?.errors?.[0]?.text ?? String(error?.message ?? error).split("\n")[0]}`;
/** `a − b` in min and min+gzip bytes, or the error of either. */
const difference = (a, b) => (a.error || b.error ? { error: a.error ?? b.error } : { minified: a.minified - b.minified, gzip: a.gzip - b.gzip });

const rows = [];
let coreExports;
for (const entry of entries) {
  try {
    const { exports, ...m } = await measureEntry(entry.id, entry.source);
    if (entry.id === "core") coreExports = new Set(exports);
    rows.push({ id: entry.id, label: entry.label, ...m, split: await measureSplit(entry.id), target: TARGETS[entry.id] });
  } catch (error) {
    rows.push({ id: entry.id, label: entry.label, target: TARGETS[entry.id], error: errorText(error) });
  }
}

const base = rows.find((r) => r.id === "openapi-fetch");
for (const r of rows) if (r.gzip !== undefined && base?.gzip) r.ratio = r.gzip / base.gzip;
// Targets are judged on the bytes a page loads before the app runs, in one file as Rollup (Vite) and
// webpack ship them (`upFront`); esbuild's split files (`initial`) are printed beside them.
for (const r of rows) if (r.target !== undefined && r.split) r.status = r.split.upFront.gzip <= r.target ? "met" : "MISSED";
const lazyText = (split) => (split.lazy.length === 0 ? "none" : split.lazy.map((l) => `${bytes(l.gzip)} (${l.inputs.map((i) => basename(i).replace(/(-[A-Z0-9]{8})?\.[cm]?[jt]s$/, "")).join(", ")})`).join("; "));
printTable(
  "browser bundle size: esbuild bundle + minify, format esm, platform browser, es2022; gzip -9. Up front = the entry without the modules loaded by import(), one file (as Rollup/Vite and webpack ship it; targets judged on its min+gzip); split = esbuild splitting: initial = entry + static imports, each file compressed apart; lazy = import() chunks; all in one = lazy chunks inlined (ratio vs openapi-fetch alone)",
  ["entry", "up front min", "up front min+gzip", "split initial min+gzip", "lazy min+gzip", "all in one min", "all in one min+gzip", "all in one min+brotli", "ratio", "target"],
  rows.map((r) =>
    r.error
      ? [r.label, "", "", "", "", "", "", "", "", r.error]
      : [
          r.label,
          bytes(r.split.upFront.minified),
          bytes(r.split.upFront.gzip),
          bytes(r.split.initial.gzip),
          lazyText(r.split),
          bytes(r.minified),
          bytes(r.gzip),
          bytes(r.brotli),
          ratio(r.ratio),
          r.target === undefined ? "" : r.status === "met" ? `≤ ${bytes(r.target)}: met` : `≤ ${bytes(r.target)}: MISSED by ${bytes(r.split.upFront.gzip - r.target)}`,
        ],
  ),
);
const appIms = rows.find((r) => r.id === "app-ims");
if (appIms?.topInputs) {
  printTable(
    "largest inputs of core + browser sign-in + IMS client (minified bytes before gzip)",
    ["input", "bytes"],
    appIms.topInputs.map((i) => [i.path, i.bytes]),
  );
}

// Each seed client's marginal size. Definition: the static-key app of that client (its factory +
// bearerToken from @portico/core) minus the same app with core's createClient called on an empty
// descriptor instead, so core's client, credential and validation code is in both and only what the
// generated client brings (its descriptor, error schemas, factory, and any library code only those
// reach, e.g. zod/mini pieces core does not use) is counted. Second figure: the client's own code
// alone, bundled with @portico/core and zod external.
let noClient;
try {
  noClient = await measureEntry("no-client", noClientApp);
} catch (error) {
  noClient = { error: errorText(error) };
}
const clientMarginals = [];
for (const c of clients) {
  let app;
  let own;
  try {
    app = await measureEntry(`static-key-${c.id}`, staticKeyApp(c));
    own = await measureEntry(`own-${c.id}`, staticKeyApp(c), { external: ["@portico/core", "zod", "zod/*"] });
  } catch (error) {
    app ??= { error: errorText(error) };
    own ??= { error: errorText(error) };
  }
  clientMarginals.push({ pkg: c.pkg, id: c.id, app: pick(app), marginal: difference(app, noClient), own: pick(own) });
}
printTable(
  `each seed client's marginal size: static-key app of the client − the same app on createClient with an empty descriptor (${noClient.error ?? `${bytes(noClient.gzip)} min+gzip`}); own code = the client bundled with @portico/core and zod external`,
  ["client", "static-key app min+gzip", "marginal min", "marginal min+gzip", "own code min", "own code min+gzip"],
  clientMarginals.map((m) =>
    m.marginal.error
      ? [m.pkg, "", "", m.marginal.error, "", ""]
      : [m.pkg, bytes(m.app.gzip), bytes(m.marginal.minified), bytes(m.marginal.gzip), bytes(m.own.minified), bytes(m.own.gzip)],
  ),
);

// Each stage's marginal size: the core-only app (createClient on an empty descriptor, a static token)
// passing one stage, minus the same app passing none: what a stage costs a client that had none.
const staticKey = rows.find((r) => r.id === "static-key-ims");
const stageMarginals = [];
for (const name of STAGES) {
  if (!coreExports) {
    stageMarginals.push({ name, status: "not available yet: @portico/core did not bundle" });
    continue;
  }
  if (!coreExports.has(name)) {
    stageMarginals.push({ name, status: "not available yet: not exported by @portico/core" });
    continue;
  }
  try {
    const m = await measureEntry(`stage-${name}`, noClientApp.replace("bearerToken, createClient", `bearerToken, createClient, ${name}`).replace(`") });`, `") }, [${name}]);`));
    stageMarginals.push({ name, status: "measured", app: pick(m), ...difference(m, noClient) });
  } catch (error) {
    stageMarginals.push({ name, status: errorText(error) });
  }
}
printTable(
  `each stage's marginal size: createClient(emptyDescriptor, { auth: bearerToken(…) }, [stage]) minus the same app with no stage (${noClient.error ?? `${bytes(noClient.gzip)} min+gzip`})`,
  ["stage", "marginal min", "marginal min+gzip"],
  stageMarginals.map((s) => (s.status === "measured" ? [s.name, bytes(s.minified), bytes(s.gzip)] : [s.name, "", s.status])),
);

/** Sizes only. */
function pick(m) {
  return m.error ? { error: m.error } : { minified: m.minified, gzip: m.gzip };
}

// What the IMS sign-in app is made of: each dependency's marginal min+gzip (the app bundled with it
// external, subtracted from the whole), portico's own code (all of them external), and how much of
// that own code is message text (string and template literals of 30+ characters with words in them).
const DEPENDENCIES = [
  { name: "zod (zod/mini + zod/v4/core)", external: ["zod", "zod/*"] },
  { name: "structured-headers", external: ["structured-headers"] },
  { name: "openapi-fetch (serializers)", external: ["openapi-fetch"] },
];
const buildApp = async (external) => (await esbuild.build({ ...SETTINGS, entryPoints: [join(dir, "app-ims.mjs")], external })).outputFiles[0].contents;
let composition;
if (appIms?.gzip !== undefined) {
  const parts = [];
  for (const d of DEPENDENCIES) parts.push({ name: d.name, gzip: appIms.gzip - gzipOf(await buildApp(d.external)) });
  const own = await buildApp(DEPENDENCIES.flatMap((d) => d.external));
  const text = Buffer.from(own).toString("utf8");
  const messages = messageText(text);
  composition = {
    dependencies: parts,
    own: { minified: own.length, gzip: gzipOf(own), literalChars: messages.literalChars, messageChars: messages.messageChars, gzipWithoutMessages: gzipOf(messages.stripped) },
  };
  printTable(
    "core + browser sign-in + IMS client: what it is made of (marginal min+gzip; parts do not add up exactly)",
    ["part", "min+gzip"],
    [
      ...parts.map((p) => [p.name, bytes(p.gzip)]),
      ["portico's own code (core, browser, generated IMS client)", bytes(composition.own.gzip)],
      [`  of which message text (${messages.messageChars} of ${own.length} minified characters)`, bytes(composition.own.gzip - composition.own.gzipWithoutMessages)],
    ],
  );
}

// What the static-key target must hold before any of core's own code, up front: zod (the option
// checks), openapi-fetch's serializers (each the up-front file minus the same file with it external)
// and the generated IMS client's own code (from the client marginals). What is left is core's share.
let floor;
const staticKeyRow = rows.find((r) => r.id === "static-key-ims");
const imsOwn = clientMarginals.find((m) => m.id === "ims")?.own;
if (staticKeyRow?.split?.upFront && imsOwn?.gzip !== undefined) {
  const lazyExternal = staticKeyRow.split.lazyModulesChecked.map((module) => `./${basename(module)}`);
  const upFrontWithout = async (external) =>
    gzipOf((await esbuild.build({ ...SETTINGS, entryPoints: [join(dir, "static-key-ims.mjs")], external: [...lazyExternal, ...external] })).outputFiles[0].contents);
  const whole = staticKeyRow.split.upFront.gzip;
  const zod = whole - (await upFrontWithout(["zod", "zod/*"]));
  const serializers = whole - (await upFrontWithout(["openapi-fetch"]));
  floor = { whole, zod, serializers, client: imsOwn.gzip, core: whole - zod - serializers - imsOwn.gzip, target: TARGETS["static-key-ims"] };
  printTable("static-key IMS client, up front: what its target must hold besides core's own code (min+gzip)", ["part", "min+gzip"], floorRows(floor, bytes));
}

// The same app built from portico's sources (`@portico/source` export condition), to see which
// source folders its minified bytes come from (the built packages are one file each).
let bySource;
if (appIms?.gzip !== undefined) {
  const built = await esbuild.build({ ...SETTINGS, entryPoints: [join(dir, "app-ims.mjs")], conditions: ["@portico/source"] });
  const code = built.outputFiles[0].contents;
  const folders = {};
  for (const [path, info] of Object.entries(Object.values(built.metafile.outputs)[0].inputs)) {
    const clean = path.replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(/^(?:\.\.\/)+/, "");
    const folder = clean.startsWith("packages/") ? clean.split("/").slice(0, 4).join("/").replace(/\.ts$/, "") : clean.split("/")[0];
    if (info.bytesInOutput > 0 && !clean.startsWith("bench/") && !clean.startsWith(".work/")) folders[folder] = (folders[folder] ?? 0) + info.bytesInOutput;
  }
  bySource = { minified: code.length, gzip: gzipOf(code), folders: Object.entries(folders).map(([folder, minified]) => ({ folder, minified })).sort((a, b) => b.minified - a.minified) };
  printTable(
    `the same app built from sources (${bytes(bySource.gzip)} min+gzip): minified bytes by source folder`,
    ["folder", "minified"],
    bySource.folders.map((f) => [f.folder, bytes(f.minified)]),
  );
}

/** Literal text of a minified bundle: all string/template literal characters, and the bundle with message text cut out. */
function messageText(code) {
  const source = ts.createSourceFile("bundle.js", code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  const cuts = [];
  let literalChars = 0;
  const isMessage = (t) => t.length >= 30 && / \w+ \w+ /.test(t);
  const visit = (node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      literalChars += node.text.length;
      if (isMessage(node.text)) cuts.push([node.getStart(source) + 1, node.end - 1]);
    } else if (ts.isTemplateExpression(node)) {
      const pieces = [node.head, ...node.templateSpans.map((span) => span.literal)];
      const whole = pieces.map((p) => p.text).join(" ");
      literalChars += whole.length;
      if (isMessage(whole)) for (const p of pieces) cuts.push([p.getStart(source) + 1, p.end - (ts.isTemplateTail(p) ? 1 : 2)]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  cuts.sort((a, b) => b[0] - a[0]);
  let stripped = code;
  let messageChars = 0;
  for (const [a, b] of cuts) {
    messageChars += b - a;
    stripped = stripped.slice(0, a) + stripped.slice(b);
  }
  return { literalChars, messageChars, stripped };
}

writeResults("bundle", {
  settings: { ...SETTINGS, gzipLevel: 9, brotliQuality: 11, metafile: undefined, write: undefined, logLevel: undefined },
  targets: TARGETS,
  rows,
  clientMarginals: { definition: "static-key app of the client − the same app on createClient with an empty descriptor; own code: the client bundled with @portico/core and zod external", noClientApp: pick(noClient), clients: clientMarginals },
  stageMarginals: { definition: "core-only app (createClient on an empty descriptor, static token) passing [stage] − the same app passing no stage", noClientApp: pick(noClient), stages: stageMarginals },
  composition,
  floor,
  bySource,
});
