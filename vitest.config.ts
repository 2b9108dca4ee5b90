import { defineConfig } from "vitest/config";

/**
 * One vitest run for the whole repository, so CI prints one summary. Workspace packages resolve to
 * their TypeScript sources through the `@portico/source` export condition, so tests never run
 * against stale builds; examples and multi-process tests that spawn `node` use the built `dist/`.
 */
const conditions = ["@portico/source", "module", "node", "import", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@portico/source"] } },
  test: {
    include: [
      "packages/*/test/**/*.test.ts",
      "packages/*/src/**/*.test.ts",
      "examples/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**", "packages/browser/test/chromium/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
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
