import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

export default defineConfig({
  // `cli` is the `portico-sandbox` bin (ESM, shebang kept from src/cli.ts; launched by bin/portico-sandbox.js).
  entry: { index: "src/index.ts", cli: "src/cli.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  treeshake: true,
  // `import.meta.url` in the CommonJS build (`findSpecFile` looks for the specs next to the bundle).
  shims: true,
  // The servers validate requests against the specs: ship them, as dist/specs/<api>.yaml.
  onSuccess: async () => {
    cpSync("../../specs", "dist/specs", { recursive: true });
  },
});
