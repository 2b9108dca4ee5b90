import { library } from "../../tsup.library.js";

// Two entries share one copy of core's modules (chunks in ESM and CJS alike), so the secret
// registry and error classes that `@portico/core/internal` uses are the main entry's own.
export default library({ entry: ["src/index.ts", "src/internal.ts", "src/opentelemetry.ts", "src/testing.ts"], splitting: true });
