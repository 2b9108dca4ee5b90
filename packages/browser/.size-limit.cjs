// Bundle-size budget of @portico/browser, checked by `pnpm --filter @portico/browser size` (and `lint`).
// Sizes are min+gzip of an esbuild bundle for the browser, built from the workspace sources
// (the "@portico/source" export condition), so no `pnpm build` is needed first.
// The enforced budgets are today's sizes plus ~1 kB headroom, so growth fails `pnpm lint`.
// A generated client carries only the stages its spec uses (IMS: rate-limit triplets, scopes and
// pagination; no form/multipart encoders, no streaming, no structured-headers). What remains is core's call path, typed
// errors, credentials bound per scheme, and zod/mini for option checks (~5 kB of it); the goals
// are 14 kB for the sign-in app and 9 kB for a static-key client (see bench/README.md).
const forBrowser = (config) => ({ ...config, platform: "browser", target: "es2022", conditions: ["@portico/source"] });

module.exports = [
  {
    name: "@portico/browser + @portico/core + @atrope-ai/api-client (sign-in, session, typed IMS client)",
    path: "size/ims-app.js",
    limit: "43 kB",
    gzip: true,
    modifyEsbuildConfig: forBrowser,
  },
  {
    name: "@portico/core + @atrope-ai/api-client with a static bearer token, without @portico/browser",
    path: "size/ims-static-key.js",
    limit: "31.5 kB",
    gzip: true,
    modifyEsbuildConfig: forBrowser,
  },
  {
    name: "@portico/browser, all exports (core not counted)",
    path: "size/browser-only.js",
    ignore: ["@portico/core"],
    gzip: true,
    modifyEsbuildConfig: forBrowser,
  },
  {
    name: "openapi-fetch 0.17 on its own (for comparison)",
    path: "size/openapi-fetch.js",
    gzip: true,
    modifyEsbuildConfig: forBrowser,
  },
];
