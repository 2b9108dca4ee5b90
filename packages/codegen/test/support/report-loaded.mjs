// Preloaded with `node --import` by the CLI tests: on exit, prints on stderr the CommonJS modules
// from node_modules the process loaded (TypeScript is one), so a test can see what a command pulled in.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
process.on("exit", () => {
  const loaded = Object.keys(require.cache).filter((file) => file.includes("node_modules"));
  process.stderr.write(`loaded-modules: ${JSON.stringify(loaded)}\n`);
});
