#!/usr/bin/env node
// @ts-check
/**
 * Type-checks every TypeScript block of the guides as written, against the workspace's packages:
 * a renamed option, a wrong path, a misspelt export or an error code the spec does not declare
 * fails here. Each block is its own module, as a user would paste it into a file of their own;
 * it sees `@portico/*` and the generated clients (`@atrope-ai/api-client`, …) through their
 * sources, with the compiler settings of `tsconfig.base.json` and Node's types.
 *
 * A block whose fence says `ts no-check` is shown but not compiled: keep those for fragments
 * that cannot stand alone (a client generated from your own spec). A block resolves the packages
 * it imports from its page's own folder, as the package's own code does (the core README's
 * OpenTelemetry example finds the SDK core's tests use). Usage:
 * `node scripts/check-snippets.mjs [file.md …]` (default: `guides/**`, `index.md`, and the README
 * of the repository, of each package and of each example).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(docsDir, "..");

/** The Markdown pages to check. */
function pages() {
  if (process.argv.length > 2) return process.argv.slice(2).map((file) => resolve(file));
  const guides = join(docsDir, "guides");
  const found = readdirSync(guides, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .map((name) => join(guides, name));
  const readmes = ["packages", "examples"].flatMap((group) => readdirSync(join(repoRoot, group)).map((dir) => join(repoRoot, group, dir, "README.md")));
  return [join(docsDir, "index.md"), ...found, join(repoRoot, "README.md"), ...readmes].filter((file) => existsSync(file)).sort();
}

/** `paths` entries for every workspace package's source entries (`@portico/core`, `@portico/core/testing`, …). */
function workspacePaths() {
  /** @type {Record<string, string[]>} */
  const paths = {};
  for (const group of ["packages"]) {
    for (const dir of readdirSync(join(repoRoot, group))) {
      const manifest = join(repoRoot, group, dir, "package.json");
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
        const source = typeof target === "object" && target !== null ? target["@portico/source"] : undefined;
        if (typeof source !== "string") continue;
        const name = subpath === "." ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, "")}`;
        paths[name] = [join(group, dir, source)];
      }
    }
  }
  return paths;
}

/** The TypeScript blocks of a page: code, first line number, and whether it is to be compiled. */
function blocksOf(file) {
  const lines = readFileSync(file, "utf8").split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(ts|typescript)\b(.*)$/.exec(lines[i]);
    if (open === null) continue;
    const [, indent, fence, , info] = open;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j].trimStart().startsWith(fence); j++) body.push(lines[j].slice(indent.length));
    blocks.push({ code: body.join("\n"), line: i + 2, check: !/\bno-check\b/.test(info) });
    i = j;
  }
  return blocks;
}

const config = ts.readConfigFile(join(repoRoot, "tsconfig.base.json"), ts.sys.readFile);
const { options: base } = ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot);
/** @type {ts.CompilerOptions} */
const options = { ...base, types: ["node"], noEmit: true, baseUrl: repoRoot, paths: workspacePaths(), noUnusedLocals: false };

/** Virtual files (one per block), in their page's folder so module resolution walks up from it. */
const virtual = new Map();
const origin = new Map();
let skipped = 0;
for (const page of pages()) {
  const name = relative(repoRoot, page).replace(/[^a-z0-9]+/gi, "-");
  blocksOf(page).forEach((block, index) => {
    if (!block.check) {
      skipped += 1;
      return;
    }
    const file = join(dirname(page), ".snippets", `${name}-${index + 1}.ts`);
    // A module of its own, even without imports.
    virtual.set(file, `${block.code}\nexport {};\n`);
    origin.set(file, { page, line: block.line });
  });
}

const host = ts.createCompilerHost(options);
const { fileExists, readFile, getSourceFile } = host;
host.fileExists = (file) => virtual.has(file) || fileExists.call(host, file);
host.readFile = (file) => virtual.get(file) ?? readFile.call(host, file);
host.getSourceFile = (file, language, onError, create) =>
  virtual.has(file) ? ts.createSourceFile(file, virtual.get(file), language) : getSourceFile.call(host, file, language, onError, create);

const started = Date.now();
const program = ts.createProgram([...virtual.keys()], options, host);
const problems = [];
for (const file of virtual.keys()) {
  const source = program.getSourceFile(file);
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  for (const d of diagnostics) {
    const { page, line } = origin.get(file);
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
    problems.push(`${relative(process.cwd(), page)}:${line + at} ${ts.flattenDiagnosticMessageText(d.messageText, "\n  ")}`);
  }
}

const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (problems.length > 0) {
  console.error(`check-snippets: ${problems.length} problem(s) in the docs' TypeScript blocks:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`check-snippets: ${virtual.size} TypeScript blocks compile (${skipped} marked no-check), ${seconds} s.`);
