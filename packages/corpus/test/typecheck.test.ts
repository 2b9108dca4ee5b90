import { spawn } from "node:child_process";
import { readdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { CASE_IDS, CORPUS_IDS, PACKAGE_DIR, type CaseId, type CorpusId } from "./support/corpus.js";
import { clientDir, ensureGenerated, ensureOpenapiTypescript, GENERATED_DIR, openapiTypescriptFile } from "./support/generate.js";

// One `tsc --noEmit --strict --noUnusedLocals` run (TypeScript 5.9 of the workspace) over, for every
// spec: the generated portico module, a typed-call file (`typed-calls/<id>.ts`), and
// openapi-typescript's own output for the same spec. Diagnostics are attributed to each by file.
// The claim: ours passes wherever openapi-typescript's passes. `@portico/core` resolves to its
// sources (`@portico/source`); diagnostics inside core are core's own typecheck's business and only listed.
// The same run checks the minimal specs of `cases/`: each generated module with its typed-call file
// (`typed-calls/cases/<id>.ts`, whose `@ts-expect-error` lines are the promises that a wrong call
// does not compile: an unused one is an error) must have no diagnostic at all.

const TSC = join(PACKAGE_DIR, "node_modules", "typescript", "lib", "tsc.js");
const TSCONFIG = join(GENERATED_DIR, "tsconfig.typecheck.json");

const COMPILER_OPTIONS = {
  strict: true,
  noUnusedLocals: true,
  noEmit: true,
  target: "ES2022",
  lib: ["ES2022", "DOM", "DOM.Iterable"],
  module: "ESNext",
  moduleResolution: "Bundler",
  customConditions: ["@portico/source"],
  skipLibCheck: true,
  types: [],
};

interface Diagnostic {
  readonly file: string;
  readonly text: string;
}

const CASE_CALLS_DIR = join(PACKAGE_DIR, "test", "typed-calls", "cases");
const CASE_SUPPORT = join(CASE_CALLS_DIR, "support.ts");

const generationErrors = new Map<CorpusId | CaseId, string>();
const otErrors = new Map<CorpusId, string>();
const ours = new Map<CorpusId | CaseId, Diagnostic[]>();
const theirs = new Map<CorpusId, Diagnostic[]>();
let others: Diagnostic[] = [];
let tscOutput = "";

beforeAll(async () => {
  const files: string[] = [];
  for (const id of CORPUS_IDS) {
    try {
      const dir = await ensureGenerated(id);
      for (const name of (await readdir(dir)).filter((n) => n.endsWith(".ts")).sort()) files.push(join(dir, name));
      files.push(join(PACKAGE_DIR, "test", "typed-calls", `${id}.ts`));
    } catch (error) {
      generationErrors.set(id, String(error));
    }
    try {
      files.push(await ensureOpenapiTypescript(id));
    } catch (error) {
      otErrors.set(id, String(error));
    }
  }
  for (const id of CASE_IDS) {
    try {
      const dir = await ensureGenerated(id);
      for (const name of (await readdir(dir)).filter((n) => n.endsWith(".ts")).sort()) files.push(join(dir, name));
      files.push(join(CASE_CALLS_DIR, `${id}.ts`));
    } catch (error) {
      generationErrors.set(id, String(error));
    }
  }
  files.push(CASE_SUPPORT);
  await writeFile(TSCONFIG, JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: files.map((f) => relative(GENERATED_DIR, f)) }, null, 2));
  tscOutput = await runTsc();
  const diagnostics = parse(tscOutput);
  for (const id of CORPUS_IDS) {
    ours.set(id, diagnostics.filter((d) => d.file.startsWith(`${relative(PACKAGE_DIR, clientDir(id))}/`) || d.file === `test/typed-calls/${id}.ts`));
    theirs.set(id, diagnostics.filter((d) => d.file === relative(PACKAGE_DIR, openapiTypescriptFile(id))));
  }
  for (const id of CASE_IDS) {
    ours.set(
      id,
      diagnostics.filter(
        (d) => d.file.startsWith(`${relative(PACKAGE_DIR, clientDir(id))}/`) || d.file === relative(PACKAGE_DIR, join(CASE_CALLS_DIR, `${id}.ts`)) || d.file === relative(PACKAGE_DIR, CASE_SUPPORT),
      ),
    );
  }
  const attributed = new Set([...ours.values(), ...theirs.values()].flat());
  others = diagnostics.filter((d) => !attributed.has(d));
  const otSummary = (id: CorpusId | CaseId): string =>
    (CORPUS_IDS as readonly string[]).includes(id) ? `, openapi-typescript ${otErrors.has(id as CorpusId) ? "failed" : `${theirs.get(id as CorpusId)?.length} error(s)`}` : "";
  const summary = [...CORPUS_IDS, ...CASE_IDS].map((id) => `${id}: portico ${generationErrors.has(id) ? "not generated" : `${ours.get(id)?.length} error(s)`}${otSummary(id)}`);
  console.info(`tsc --strict --noUnusedLocals over the corpus and the cases:\n  ${summary.join("\n  ")}${others.length > 0 ? `\n  outside the corpus (not asserted): ${others.length}, first: ${others[0]?.text}` : ""}`);
}, 300_000); // cold: generates the corpus specs twice (portico, openapi-typescript), then one tsc run

describe("strict type-check of every generated client, beside openapi-typescript's output", () => {
  test.each(CORPUS_IDS)("%s: the generated module and its typed calls pass wherever openapi-typescript's output passes", (id) => {
    expect(generationErrors.get(id), "codegen with no flags").toBeUndefined();
    expect(otErrors.get(id), "openapi-typescript generates the same spec").toBeUndefined();
    if ((theirs.get(id)?.length ?? 0) > 0) {
      console.info(`${id}: openapi-typescript's own output has ${theirs.get(id)?.length} error(s) (first: ${theirs.get(id)?.[0]?.text}); no claim on ours`);
      return;
    }
    expect(ours.get(id)?.map((d) => d.text)).toEqual([]);
  });
});

describe("strict type-check of every case client and its typed calls", () => {
  test.each(CASE_IDS)("%s: no diagnostic; every @ts-expect-error line is an error (a wrong credential kind, body, code, variable does not compile)", (id) => {
    expect(generationErrors.get(id), "codegen with no flags").toBeUndefined();
    expect(ours.get(id)?.map((d) => d.text)).toEqual([]);
  });
});

/** Runs tsc once on the generated tsconfig; resolves with its output when the process closes. */
function runTsc(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--max-old-space-size=6144", TSC, "-p", TSCONFIG, "--pretty", "false"], { cwd: PACKAGE_DIR });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      // 0: no errors; 2: errors reported (parsed below); anything else: tsc itself failed.
      if (code === 0 || code === 2) resolve(out);
      else reject(new Error(`tsc exited with ${code}: ${out.slice(0, 2000)}`));
    });
  });
}

/** tsc's `file(line,col): error TSxxxx: message` lines (continuation lines join the one before). */
function parse(output: string): Diagnostic[] {
  const diagnostics: Array<{ file: string; text: string }> = [];
  for (const line of output.split("\n")) {
    const match = /^(.+?)\(\d+,\d+\): error TS\d+: /.exec(line);
    if (match) diagnostics.push({ file: match[1]!.replaceAll("\\", "/"), text: line.trim() });
    else if (line.startsWith(" ") && diagnostics.length > 0) diagnostics[diagnostics.length - 1]!.text += ` ${line.trim()}`;
    else if (line.trim().length > 0) diagnostics.push({ file: "", text: line.trim() });
  }
  return diagnostics;
}
