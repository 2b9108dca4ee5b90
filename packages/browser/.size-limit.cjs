// Bundle-size budget of @portico/browser, checked by `pnpm --filter @portico/browser size` (and `lint`).
// Sizes are min+gzip of an esbuild bundle for the browser, built from the workspace sources
// (the "@portico/source" export condition), so no `pnpm build` is needed first.
// The app budgets count what a page loads up front: modules loaded by `import()` on first use are
// left out, as Vite and webpack put them in chunks of their own (bench:bundle lists those chunks).
// Core's: the logger, the `maxConcurrency` queue, the paging behind `paginate`, the stream reader
// behind `stream`, the reader of error responses, the encoder of bodies other than plain JSON data,
// the token endpoint client (a grant's request, its POST, the reading of the token response), the
// hand-over of a body read as a stream under a signal.
// The browser package's: the BroadcastChannel lock (pages without Web Locks), the work of
// beginSignIn and of completeSignIn. The budgets are today's sizes plus ~3 % (the sign-in app
// 40.05 kB, the static-key app 31.6 kB, after typed errors for bodies that break off, redirect
// loops, empty JSON bodies and escaped server text), so growth fails `pnpm lint`.
// A generated client carries only the stages its spec uses (IMS: rate-limit triplets, scopes and
// pagination; no form/multipart encoders, no streaming, no structured-headers). What remains is core's call path, typed
// errors, credentials bound per scheme, and zod/mini for option checks (~5 kB of it); the goals
// are 14 kB for the sign-in app and 9 kB for a static-key client (see bench/README.md).
// size-limit leaves a package's peer dependencies out of every check (they are the app's to
// install): `external: []` counts them here, since an app bundles @portico/core and zod all the same.
/** Modules of core and of the browser package loaded on first use (`import()`): what an app loads up front is measured without them. */
const LAZY = ["./log-observer.js", "./gate-queue.js", "./paging.js", "./stream-read.js", "./broadcast-lock.js", "./start-sign-in.js", "./finish-sign-in.js", "./read-error.js", "./encode-other-body.js", "./token-exchange.js", "./caller-stream.js"];
const forBrowser = (config) => ({ ...config, external: [], platform: "browser", target: "es2022", conditions: ["@portico/source"] });
const upFront = (config) => ({ ...forBrowser(config), external: LAZY });

module.exports = [
  {
    name: "@portico/browser + @portico/core + @atrope-ai/api-client (sign-in, session, typed IMS client)",
    path: "size/ims-app.js",
    limit: "41.2 kB",
    gzip: true,
    modifyEsbuildConfig: upFront,
  },
  {
    name: "@portico/core + @atrope-ai/api-client with a static bearer token, without @portico/browser",
    path: "size/ims-static-key.js",
    limit: "32.5 kB",
    gzip: true,
    modifyEsbuildConfig: upFront,
  },
  {
    name: "@portico/browser, all exports (core not counted)",
    path: "size/browser-only.js",
    ignore: ["@portico/core"],
    gzip: true,
    // Core stays external here (its peer-dependency default), unlike in the app checks.
    modifyEsbuildConfig: (config) => ({ ...forBrowser(config), external: ["@portico/core", "@portico/core/*"] }),
  },
  {
    name: "openapi-fetch 0.17 on its own (for comparison)",
    path: "size/openapi-fetch.js",
    gzip: true,
    modifyEsbuildConfig: forBrowser,
  },
];
// For the bundle-size test, which checks that these modules are only ever loaded by import().
module.exports.lazyModules = LAZY;
