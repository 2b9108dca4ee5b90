import { defineConfig } from "vitest/config";

/**
 * One vitest run for the whole repository, so CI prints one summary. Workspace packages resolve to
 * their TypeScript sources through the `@portico/source` export condition, so tests never run
 * against stale builds; examples and multi-process tests that spawn `node` use the built `dist/`.
 */
const conditions = ["@portico/source", "module", "node", "import", "default"];
/**
 * Vitest also hands the SSR conditions to Node (`--conditions`) for the dependencies Node loads
 * itself. `module` is a bundlers' condition: a CommonJS dependency that requires a package whose
 * `module` export is bundler-only ESM (extensionless imports, as @opentelemetry/api 1.9's) would
 * fail under Node, so the SSR list leaves it out.
 */
const ssrConditions = conditions.filter((c) => c !== "module");

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions: ssrConditions, externalConditions: ["@portico/source"] } },
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "packages/*/src/**/*.test.ts",
      "examples/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**", "packages/browser/test/chromium/**"],
    // Tests wait on events and fake clocks, not on wall-clock windows; these are only the limits
    // that end a test that hangs, set far above what any test needs on a loaded machine (a test
    // that passes at 2 s idle may take 10× that with the CPUs saturated).
    testTimeout: 180_000,
    hookTimeout: 600_000,
    // The few waits with no event to listen to (a server's connection count dropping) poll: let
    // them run until the test's timeout rather than vitest's 1 s default.
    expect: { poll: { timeout: 120_000 } },
    pool: "forks",
    maxWorkers: 2,
    typecheck: {
      enabled: true,
      include: ["packages/*/test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.typetests.json",
    },
    reporters: ["default"],
  },
});
