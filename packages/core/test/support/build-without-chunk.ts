/**
 * The built package (`dist/`, ESM and CJS, as published) copied with one lazily loaded chunk
 * taken away, to see what a call does when a module core loads with `import()` cannot be loaded
 * (an app redeployed under an open page, a page gone offline). `restore` puts the chunk back.
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
  /** Serves the chunk again. */
  restore(build: Build): void;
}

/** Registers the copy for the calling test file: made before its tests, removed after. `chunk` is the source module's name, e.g. `read-error`. */
export function useBuildsWithoutChunk(chunk: string): BuildsWithoutChunk {
  let copy: string | undefined;
  const chunks = new Map<Build, string>();
  const builds = new Map<Build, Core>();
  beforeAll(async () => {
    const dist = join(PACKAGE_DIR, "dist");
    expect(existsSync(join(dist, "index.js")) && existsSync(join(dist, "index.cjs")), "build @portico/core first (pnpm build)").toBe(true);
    copy = mkdtempSync(join(tmpdir(), "portico-core-copy-"));
    cpSync(dist, join(copy, "dist"), { recursive: true });
    // The copy's dependencies (openapi-fetch, zod) resolve to the package's own.
    symlinkSync(join(PACKAGE_DIR, "node_modules"), join(copy, "node_modules"), "dir");
    for (const file of readdirSync(join(copy, "dist"))) {
      if (file.startsWith(`${chunk}-`) && /^[^.]+\.js$/.test(file)) chunks.set("ESM", join(copy, "dist", file));
      if (file.startsWith(`${chunk}-`) && /^[^.]+\.cjs$/.test(file)) chunks.set("CJS", join(copy, "dist", file));
    }
    expect([...chunks.keys()].sort(), `the built package has ${chunk} in a chunk of its own`).toEqual(["CJS", "ESM"]);
    for (const file of chunks.values()) renameSync(file, `${file}.away`);
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
    restore: (build) => {
      const file = chunks.get(build) as string;
      renameSync(`${file}.away`, file);
    },
  };
}
