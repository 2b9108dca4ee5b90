/**
 * The built package (`dist/`, ESM and CJS, as published) copied with lazily loaded chunks taken
 * away, to see what a call does when a module core loads with `import()` cannot be loaded (an app
 * redeployed under an open page, a page gone offline). `restore` puts a chunk back.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";

export type Core = typeof import("../../src/index.js");
export type Build = "ESM" | "CJS";

const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface BuildsWithoutChunk {
  /** The copy's public entry, per build (set before the tests run). */
  core(build: Build): Core;
  /** Serves `chunk` (by default every chunk taken away) again. */
  restore(build: Build, chunk?: string): void;
}

/**
 * Registers the copy for the calling test file: made before its tests, removed after. Each of
 * `names` is a source module's name, e.g. `read-error`, whose chunks (ESM and CJS) are taken away.
 */
export function useBuildsWithoutChunk(...names: [string, ...string[]]): BuildsWithoutChunk {
  let copy: string | undefined;
  /** The chunk files taken away, by build and module name. */
  const chunks = new Map<Build, Map<string, string>>([
    ["ESM", new Map()],
    ["CJS", new Map()],
  ]);
  const builds = new Map<Build, Core>();
  beforeAll(async () => {
    const dist = join(PACKAGE_DIR, "dist");
    expect(existsSync(join(dist, "index.js")) && existsSync(join(dist, "index.cjs")), "build @portico/core first (pnpm build)").toBe(true);
    copy = mkdtempSync(join(tmpdir(), "portico-core-copy-"));
    cpSync(dist, join(copy, "dist"), { recursive: true });
    // The copy's dependencies (openapi-fetch, zod) resolve to the package's own.
    symlinkSync(join(PACKAGE_DIR, "node_modules"), join(copy, "node_modules"), "dir");
    const files = readdirSync(join(copy, "dist"));
    for (const name of names) {
      // A chunk is `<name>-<hash>.js` (ESM) or `.cjs` (CJS); the hash has no `-` (so `stream` is not `stream-read`) and no `.`.
      const of = (extension: string) => files.filter((file) => file.startsWith(`${name}-`) && /^[^-.]+$/.test(file.slice(name.length + 1, -extension.length)) && file.endsWith(extension));
      const found = { ESM: of(".js"), CJS: of(".cjs") };
      expect(found, `the built package has ${name} in one chunk of its own per build (several: dist holds an older build's chunks too; rebuild it with pnpm turbo run build --filter=@portico/core --force)`).toEqual({ ESM: [expect.any(String)], CJS: [expect.any(String)] });
      for (const build of ["ESM", "CJS"] as const) chunks.get(build)?.set(name, join(copy, "dist", found[build][0] as string));
    }
    for (const byName of chunks.values()) for (const file of byName.values()) renameSync(file, `${file}.away`);
    // By path, not by file URL: vitest runs the copy's ESM itself, and resolves a lazy
    // `import("./<chunk>-….js")` in the entry file against a file-URL id wrongly.
    builds.set("ESM", (await import(/* @vite-ignore */ join(copy, "dist", "index.js"))) as Core);
    builds.set("CJS", createRequire(import.meta.url)(join(copy, "dist", "index.cjs")) as Core);
  });
  afterAll(() => {
    if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
  });
  return {
    core: (build) => builds.get(build) as Core,
    restore: (build, chunk) => {
      const byName = chunks.get(build) as Map<string, string>;
      for (const name of chunk === undefined ? [...byName.keys()] : [chunk]) {
        const file = byName.get(name);
        if (file === undefined) throw new Error(`${name} was not taken away from the copy: useBuildsWithoutChunk(${names.map((n) => JSON.stringify(n)).join(", ")})`);
        renameSync(`${file}.away`, file);
        byName.delete(name);
      }
    },
  };
}
