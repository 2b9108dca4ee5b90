import { defineConfig, type Options } from "tsup";

/**
 * The build of every published library package: ESM + CJS + `.d.ts` from `src/index.ts`,
 * tree-shakable, with source maps. Packages pass overrides only where they differ.
 */
export function library(overrides: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "es2022",
    treeshake: true,
    ...overrides,
  });
}
