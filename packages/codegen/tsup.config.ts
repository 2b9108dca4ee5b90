import { defineConfig } from "tsup";

export default defineConfig({
  // `cli` is the `portico` bin (ESM, shebang kept from src/bin.ts).
  entry: { index: "src/index.ts", cli: "src/bin.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  treeshake: true,
  // `import.meta.url` in the CommonJS build (parse-source.ts requires its YAML parsers lazily).
  shims: true,
});
