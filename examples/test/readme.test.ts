import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Every TypeScript block of the root README and of every package README type-checks as written,
 * against the real packages: a renamed option, a wrong path or an error code the spec does not
 * declare fails here. Each block is its own module, as a user would paste it into a file of their
 * own; all of them are checked in one program (one diagnostic list per README).
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const workDir = fileURLToPath(new URL("../.readme-snippets/", import.meta.url));

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly exports?: Record<string, string | Record<string, unknown>>;
}

const packageDirs = readdirSync(`${root}packages`).filter((dir) => existsSync(`${root}packages/${dir}/package.json`));
const manifests = new Map(packageDirs.map((dir) => [dir, JSON.parse(readFileSync(`${root}packages/${dir}/package.json`, "utf8")) as Manifest]));
const packageReadmes = packageDirs.filter((dir) => existsSync(`${root}packages/${dir}/README.md`)).map((dir) => `packages/${dir}/README.md`);
const READMES = ["README.md", ...packageReadmes];

function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
}

/**
 * Every workspace package and subpath export by name, to its TypeScript source: a README block
 * imports any published package (`@portico/browser`, `@portico/codegen`, ...) the way an npm
 * user would, whichever of them the snippet directory happens to depend on.
 */
function workspacePaths(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const [dir, manifest] of manifests) {
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = typeof target === "object" ? target["@portico/source"] : undefined;
      if (typeof source === "string") paths[`${manifest.name}${subpath.slice(1)}`] = [join(root, "packages", dir, source)];
    }
  }
  // The OpenTelemetry API and SDK that core's README installs beside `@portico/core/opentelemetry`
  // (its optional peer): core's own dev dependencies.
  paths["@opentelemetry/*"] = [join(root, "packages", "core", "node_modules", "@opentelemetry", "*")];
  return paths;
}

describe("README", () => {
  const files = new Map<string, string[]>();
  let problems: Map<string, string[]>;

  beforeAll(() => {
    mkdirSync(workDir, { recursive: true });
    for (const readme of READMES) {
      const prefix = readme.replace(/[^a-z]+/gi, "-");
      files.set(
        readme,
        tsBlocks(readFileSync(`${root}${readme}`, "utf8")).map((code, index) => {
          const file = `${workDir}${prefix}block-${index + 1}.ts`;
          writeFileSync(file, `${code}\nexport {};\n`);
          return file;
        }),
      );
    }
    const configFile = ts.readConfigFile(`${root}tsconfig.base.json`, (path) => ts.sys.readFile(path));
    const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
    const all = [...files.values()].flat();
    const program = ts.createProgram(all, { ...options, types: ["node"], noEmit: true, paths: workspacePaths() });
    problems = new Map(READMES.map((readme) => [readme, []]));
    const owner = new Map([...files].flatMap(([readme, list]) => list.map((file) => [file, readme] as const)));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const readme = d.file === undefined ? undefined : owner.get(d.file.fileName);
      if (readme === undefined) continue;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      problems.get(readme)!.push(`${d.file!.fileName.slice(workDir.length)}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    }
  }, 300_000);

  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it("covers every published package's README, each with at least one TypeScript block", () => {
    const published = [...manifests].filter(([, m]) => m.private !== true).map(([dir]) => `packages/${dir}/README.md`);
    expect(published.length).toBeGreaterThanOrEqual(9);
    for (const readme of published) {
      expect(READMES, `${readme} is missing`).toContain(readme);
      expect(files.get(readme)?.length ?? 0, `${readme} has no \`\`\`ts block`).toBeGreaterThanOrEqual(1);
    }
    expect(files.get("README.md")?.length ?? 0).toBeGreaterThanOrEqual(1);
  });

  it("gives contributors the two commands CI runs: install plus demo, and test", () => {
    const readme = readFileSync(`${root}README.md`, "utf8");
    const contributing = /\n## Contributing\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? "";
    expect(contributing).toMatch(/^corepack enable && pnpm install && pnpm demo\s/m);
    expect(contributing).toMatch(/^pnpm test\s/m);
    const scripts = (JSON.parse(readFileSync(`${root}package.json`, "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["demo"]).toBeDefined();
    expect(scripts["test"]).toBeDefined();
    expect(readFileSync(`${root}.ci/run`, "utf8")).toMatch(/^pnpm test$/m);
  });

  it.each(READMES)("%s has TypeScript blocks that compile as written", (readme) => {
    expect(problems.get(readme)).toEqual([]);
  });

  it("no published package's README tells npm readers to use monorepo-only commands", () => {
    for (const [dir, manifest] of manifests) {
      if (manifest.private === true || !existsSync(`${root}packages/${dir}/README.md`)) continue;
      const text = readFileSync(`${root}packages/${dir}/README.md`, "utf8");
      expect(text, `packages/${dir}/README.md`).not.toMatch(/pnpm (--filter|-F|test|build|lint|bench\S*|vitest|sandbox|demo)\b|npx vitest|turbo run/);
      expect(text, `packages/${dir}/README.md has no npm install line for ${manifest.name}`).toMatch(new RegExp(`npm install (--save-dev )?[^\\n]*${manifest.name.replace(/[/@.-]/g, "\\$&")}(\\s|$)`));
    }
  });
});

/** The environment without this vitest run's own worker variables, which a nested vitest would misread. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { CI: "true" };
  for (const [name, value] of Object.entries(process.env)) if (!/^(VITEST|TINYPOOL)/.test(name)) env[name] = value;
  return env;
}

/**
 * The "Testing your app" example of `@portico/core`'s README runs, as written, in a vitest
 * process of its own (its `test` blocks are a user's test file), against the workspace sources.
 */
describe("the core README's testing example", () => {
  const runDir = fileURLToPath(new URL("../.readme-run/", import.meta.url));
  afterAll(() => rmSync(runDir, { recursive: true, force: true }));

  it("passes as a test file", async () => {
    const readme = readFileSync(`${root}packages/core/README.md`, "utf8");
    const section = /\n## Testing your app\n([\s\S]*?)(\n## |$)/.exec(readme)?.[1] ?? "";
    const [example] = tsBlocks(section);
    expect(example, "packages/core/README.md has a ```ts block under ## Testing your app").toBeDefined();
    mkdirSync(runDir, { recursive: true });
    writeFileSync(`${runDir}testing-example.test.ts`, example!);
    const conditions = ["@portico/source", "module", "node", "import", "default"];
    writeFileSync(
      `${runDir}vitest.config.mjs`,
      `export default ${JSON.stringify({ resolve: { conditions }, ssr: { resolve: { conditions, externalConditions: ["@portico/source"] } }, test: { include: ["*.test.ts"], pool: "forks", maxWorkers: 1 } })};\n`,
    );
    const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
    const run = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [vitest, "run", "--root", runDir, "--config", `${runDir}vitest.config.mjs`, "--reporter", "verbose"], { cwd: runDir, env: childEnv() });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, output }));
    });
    expect(run.code, run.output).toBe(0);
    const tests = (example!.match(/^test\(/gm) ?? []).length;
    expect(tests).toBeGreaterThanOrEqual(2);
    expect(run.output.replace(/\u001b\[[0-9;]*m/g, "")).toMatch(new RegExp(`Tests\\s+${tests} passed`));
  }, 300_000);
});
