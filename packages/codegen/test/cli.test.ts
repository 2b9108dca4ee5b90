import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../src/index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const fixture = join(here, "fixtures", "mini.yaml");
const bin = join(here, "..", "bin", "portico.js");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portico-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in-process, capturing its output. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await runCli(args, sink((s) => (stdout += s)) as never, sink((s) => (stderr += s)) as never);
  return { code, stdout, stderr };
}

async function specFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const head = "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n  x-portico-client: { name: T, package: t }\npaths:\n";

describe("portico CLI", () => {
  it("--help prints usage and what each option does, and exits 0", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: portico generate <spec> --out <dir> \[--check\] \[--name <Name>\] \[--package <pkg>\]/);
    expect(stdout).toContain("no x-portico-* extension and no option is needed");
    expect(stdout).toMatch(/--name <Name> {5}client name[^\n]*\n\s+@default from info\.title/);
    expect(stdout).toMatch(/--package <pkg> {3}npm package[^\n]*\n\s+@default the name in kebab-case/);
    expect(stdout).toMatch(/--lenient-errors {2}deprecated, no effect/);
    expect(stdout).toContain("Warnings (what the spec declares that the client will not do) are printed on stderr");
  });

  it.each([["--version"], ["-v"]])("%s prints the package version and exits 0", async (flag) => {
    const { version } = JSON.parse(await readFile(join(here, "..", "package.json"), "utf8")) as { version: string };
    const { code, stdout, stderr } = await run(flag);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
    expect(stderr).toBe("");
  });

  it.each([
    { args: [], problem: "missing command" },
    { args: ["build", "a.yaml"], problem: 'unknown command "build"' },
    { args: ["generate", "--out", "x"], problem: "missing <spec>" },
    { args: ["generate", "a.yaml"], problem: "missing --out <dir>" },
    { args: ["generate", "a.yaml", "--out"], problem: "Option '-o, --out <value>' argument missing" },
    { args: ["generate", "a.yaml", "--outt", "x"], problem: "Unknown option '--outt'" },
  ])("usage error $args → exit 2", async ({ args, problem }) => {
    const { code, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(problem);
    expect(stderr).toContain("Usage:");
  });

  it("generates into --out and exits 0", async () => {
    const out = join(dir, "ok");
    const { code, stdout } = await run("generate", fixture, "--out", out);
    expect(code).toBe(0);
    expect(stdout).toContain("7 file(s) written");
    expect((await readdir(out)).sort()).toEqual([
      "client.ts",
      "credential-kinds.ts",
      "descriptor.ts",
      "errors.ts",
      "events.ts",
      "index.ts",
      "schema.ts",
    ]);
    expect((await run("generate", fixture, "--out", out, "--check")).code).toBe(0);
    await writeFile(join(out, "errors.ts"), "// edited\n");
    const stale = await run("generate", fixture, "--out", out, "--check");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/generated files are out of date: .*errors\.ts/);
  });

  it("takes a JSON spec with no x-portico-* and no code enums as it is, naming the client from info.title", async () => {
    const spec = await specFile(
      "github.json",
      JSON.stringify({
        openapi: "3.0.3",
        info: { title: "GitHub v3 REST API", version: "1" },
        paths: {
          "/user": {
            get: {
              responses: {
                "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { login: { type: "string" } } } } } },
                "401": { description: "no", content: { "application/json": { schema: { type: "object", properties: { message: { type: "string" } } } } } },
              },
            },
          },
        },
      }),
    );
    const out = join(dir, "github");
    const { code, stderr } = await run("generate", spec, "--out", out);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(await readFile(join(out, "index.ts"), "utf8")).toContain("export { createGitHubApiClient }");
    expect(await readFile(join(out, "descriptor.ts"), "utf8")).toContain('"GET /user": { errors: { "401": [] }, successJson: true }');
    // --name alone, and the deprecated --lenient-errors, still accepted
    const named = await run("generate", spec, "--out", join(dir, "github-named"), "--name", "Octo", "--lenient-errors");
    expect(named).toMatchObject({ code: 0, stderr: "" });
    expect(await readFile(join(dir, "github-named", "client.ts"), "utf8")).toContain("(`octo-api-client`)");
  });

  it("prints warnings on stderr and still exits 0", async () => {
    const spec = await specFile(
      "implicit.yaml",
      [
        ...head.split("\n").slice(0, 5),
        "security: [{ legacy: [] }]",
        "components:",
        "  securitySchemes:",
        "    legacy:",
        "      type: oauth2",
        "      flows: { implicit: { authorizationUrl: 'https://auth.test/authorize', scopes: {} } }",
        "paths: {}",
        "",
      ].join("\n"),
    );
    const { code, stdout, stderr } = await run("generate", spec, "--out", join(dir, "implicit"));
    expect(code).toBe(0);
    expect(stdout).toContain("file(s) written");
    expect(stderr).toMatch(
      /^portico: warning: .*implicit\.yaml:\d+ #\/components\/securitySchemes\/legacy\/flows: oauth2 scheme "legacy" declares only the implicit flow; portico does not run implicit or password flows \(OAuth 2\.1 removes them\)/,
    );
  });

  it.each([
    { name: "invalid YAML", text: `${head}  /a: [\n`, want: /bad-1\.yaml:\d+: invalid YAML: / },
    {
      name: "a Swagger 2.0 file",
      text: "swagger: '2.0'\ninfo: { title: T, version: '1' }\npaths: {}\n",
      want: /bad-2\.yaml:1 #\/swagger: this is a Swagger 2\.0 document, which portico does not read: convert it to OpenAPI 3 first, e\.g\. `npx swagger2openapi spec\.json -o openapi\.json`/,
    },
    {
      name: "an unknown extension",
      text: `${head}  /a:\n    get:\n      x-portico-cache: true\n      responses: { '200': { description: x } }\n`,
      want: /bad-3\.yaml:9 #\/paths\/~1a\/get\/x-portico-cache: unknown extension "x-portico-cache"/,
    },
  ])("$name → file:line and pointer on stderr, exit 1", async ({ text, want }) => {
    const n = want.source.match(/bad-(\d)/)?.[1] ?? "0";
    const spec = await specFile(`bad-${n}.yaml`, text);
    const { code, stdout, stderr } = await run("generate", spec, "--out", join(dir, `out-${n}`));
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(want);
    expect(existsSync(join(dir, `out-${n}`))).toBe(false);
  });
});

describe("the portico bin (built dist/cli.js, spawned)", () => {
  const exec = promisify(execFile);
  const built = join(here, "..", "dist", "cli.js");
  const reporter = join(here, "support", "report-loaded.mjs");
  /** The node_modules CommonJS files the built CLI loaded for `args`. */
  const loadedBy = async (...args: string[]): Promise<{ stdout: string; loaded: string[] }> => {
    const { stdout, stderr } = await exec(process.execPath, ["--import", reporter, built, ...args]);
    const line = stderr.split("\n").find((l) => l.startsWith("loaded-modules: "));
    expect(line, stderr).toBeDefined();
    return { stdout, loaded: JSON.parse(line!.slice("loaded-modules: ".length)) as string[] };
  };

  it("--version prints the version and exits 0; --help prints usage and exits 0", async () => {
    expect(existsSync(built), "build @portico/codegen first (pnpm build)").toBe(true);
    const { version } = JSON.parse(await readFile(join(here, "..", "package.json"), "utf8")) as { version: string };
    const shown = await exec(bin, ["--version"]);
    expect(shown.stdout).toBe(`${version}\n`);
    expect(shown.stderr).toBe("");
    const help = await exec(bin, ["--help"]);
    expect(help.stdout).toMatch(/^Usage: portico generate <spec> --out <dir>/);
    expect(help.stdout).toContain("-v, --version");
    expect(help.stderr).toBe("");
  });

  it("--help and --version load no generator dependency; generate does (TypeScript)", async () => {
    const typescript = (files: string[]) => files.filter((file) => /[\\/]typescript[\\/]lib[\\/]typescript\.js$/.test(file));
    for (const flag of ["--help", "--version"]) {
      const { loaded } = await loadedBy(flag);
      expect(typescript(loaded), flag).toEqual([]);
    }
    const generated = await loadedBy("generate", fixture, "--out", join(dir, "loaded-out"));
    expect(generated.stdout).toContain("file(s) written");
    expect(typescript(generated.loaded)).toHaveLength(1);
  });


  it("runs with a shebang and exits 1 with the located message on a bad spec", async () => {
    expect(existsSync(join(here, "..", "dist", "cli.js")), "build @portico/codegen first (pnpm build)").toBe(true);
    const help = await exec(bin, ["--help"]);
    expect(help.stdout).toContain("Usage: portico generate");
    const spec = await specFile("bad-bin.yaml", `${head}  /a:\n    get:\n      x-portico-cache: true\n`);
    const failed = await exec(bin, ["generate", spec, "--out", join(dir, "bin-out")]).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/bad-bin\.yaml:9 #\/paths\/~1a\/get\/x-portico-cache: unknown extension/);
  });
});
