// Browser bundle cost: min+gzip of portico's packages and of an app entry per generated client,
// beside openapi-fetch alone and ky alone, all built with the same esbuild settings from the
// BUILT packages (dist), as an app's bundler would see them.
//
//   node bench/bundle.mjs
//
// esbuild: bundle, minify, format esm, platform browser, target es2022; gzip level 9 (zlib).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import ts from "typescript";
import { benchDir, bytes, printTable, ratio, writeResults } from "./lib/report.mjs";

const TARGET_BYTES = 8000; // core + browser + IMS client ≤ 8 kB min+gzip
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

const entries = [
  { id: "core", label: "@portico/core (all exports)", source: 'export * from "@portico/core";' },
  { id: "browser", label: "@portico/browser (all exports, core included as it needs)", source: 'export * from "@portico/browser";' },
  ...clients.map((c) => ({
    id: `app-${c.id}`,
    label: `core + browser sign-in + ${c.pkg} (factory used)`,
    source: `import { ${c.factory} } from "${c.pkg}";\n${browserApp}\nexport const client = ${c.factory}({ baseUrl: "${c.baseUrl}" });\n`,
    target: c.id === "ims" ? TARGET_BYTES : undefined,
  })),
  ...clients.map((c) => ({
    id: `client-${c.id}`,
    label: `core + ${c.pkg} only (no browser package)`,
    source: `import { ${c.factory} } from "${c.pkg}";\nexport const client = ${c.factory}({ baseUrl: "${c.baseUrl}" });\n`,
  })),
  { id: "openapi-fetch", label: "openapi-fetch alone (createClient used)", source: 'import createClient from "openapi-fetch";\nexport const client = createClient({ baseUrl: "https://api.atrope.dev" });\n', baseline: true },
  { id: "ky", label: "ky alone (ky.create used)", source: 'import ky from "ky";\nexport const api = ky.create({ prefixUrl: "https://api.atrope.dev" });\n' },
];

const rows = [];
for (const entry of entries) {
  const file = join(dir, `${entry.id}.mjs`);
  writeFileSync(file, `${entry.source}\n`);
  try {
    const result = await esbuild.build({ ...SETTINGS, entryPoints: [file] });
    const code = result.outputFiles[0].contents;
    const inputs = Object.entries(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs)
      .map(([path, info]) => ({ path: path.replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(/^\.\.\/\.\.\/\.\.\//, ""), bytes: info.bytesInOutput }))
      .filter((i) => i.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes);
    rows.push({
      id: entry.id,
      label: entry.label,
      minified: code.length,
      gzip: gzipSync(code, { level: 9 }).length,
      brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      target: entry.target,
      topInputs: inputs.slice(0, 8),
    });
  } catch (error) {
    rows.push({ id: entry.id, label: entry.label, error: `not available yet: ${String(error?.message ?? error).split("\n")[0]}` });
  }
}

const base = rows.find((r) => r.id === "openapi-fetch");
for (const r of rows) if (r.gzip !== undefined && base?.gzip) r.ratio = r.gzip / base.gzip;
printTable(
  "browser bundle size: esbuild bundle + minify, format esm, platform browser, es2022; gzip -9 (ratio vs openapi-fetch alone)",
  ["entry", "min", "min+gzip", "min+brotli", "ratio", "target"],
  rows.map((r) =>
    r.error
      ? [r.label, "", "", "", "", r.error]
      : [r.label, bytes(r.minified), bytes(r.gzip), bytes(r.brotli), ratio(r.ratio), r.target === undefined ? "" : r.gzip <= r.target ? `≤ ${bytes(r.target)}: met` : `≤ ${bytes(r.target)}: MISSED by ${bytes(r.gzip - r.target)}`],
  ),
);
const ims = rows.find((r) => r.id === "app-ims");
if (ims?.topInputs) {
  printTable(
    "largest inputs of core + browser sign-in + IMS client (minified bytes before gzip)",
    ["input", "bytes"],
    ims.topInputs.map((i) => [i.path, i.bytes]),
  );
}
// What the IMS sign-in app is made of: each dependency's marginal min+gzip (the app bundled with it
// external, subtracted from the whole), portico's own code (all of them external), and how much of
// that own code is message text (string and template literals of 30+ characters with words in them).
const DEPENDENCIES = [
  { name: "zod (zod/mini + zod/v4/core)", external: ["zod", "zod/*"] },
  { name: "structured-headers", external: ["structured-headers"] },
  { name: "openapi-fetch (serializers)", external: ["openapi-fetch"] },
];
const gzipOf = (code) => gzipSync(code, { level: 9 }).length;
const buildApp = async (external) => (await esbuild.build({ ...SETTINGS, entryPoints: [join(dir, "app-ims.mjs")], external })).outputFiles[0].contents;
let composition;
if (ims?.gzip !== undefined) {
  const parts = [];
  for (const d of DEPENDENCIES) parts.push({ name: d.name, gzip: ims.gzip - gzipOf(await buildApp(d.external)) });
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

// The same app built from portico's sources (`@portico/source` export condition), to see which
// source folders its minified bytes come from (the built packages are one file each).
let bySource;
if (ims?.gzip !== undefined) {
  const built = await esbuild.build({ ...SETTINGS, entryPoints: [join(dir, "app-ims.mjs")], conditions: ["@portico/source"] });
  const code = built.outputFiles[0].contents;
  const folders = {};
  for (const [path, info] of Object.entries(Object.values(built.metafile.outputs)[0].inputs)) {
    const clean = path.replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(/^(?:\.\.\/)+/, "");
    const folder = clean.startsWith("packages/") ? clean.split("/").slice(0, 4).join("/").replace(/\.ts$/, "") : clean.split("/")[0];
    if (info.bytesInOutput > 0 && !clean.startsWith("bench/")) folders[folder] = (folders[folder] ?? 0) + info.bytesInOutput;
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

writeResults("bundle", { settings: { ...SETTINGS, gzipLevel: 9, brotliQuality: 11, metafile: undefined, write: undefined, logLevel: undefined }, targetBytes: TARGET_BYTES, rows, composition, bySource });
