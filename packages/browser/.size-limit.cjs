// Bundle-size budget of @portico/browser, checked by `pnpm --filter @portico/browser size` (and `lint`).
// Sizes are min+gzip of an esbuild bundle for the browser, built from the workspace sources
// (the "@portico/source" export condition), so no `pnpm build` is needed first.
// The enforced budget (app entry) is today's size plus ~1 kB headroom, so growth fails `pnpm lint`.
// The goal is 8 kB (issue 8). Composition of the app entry (31.2 kB; esbuild metafile, and the
// bundle measured again with one package left out): zod/mini ~5.8 kB (options, token-response and
// generated error schemas; zod's parse core is most of it), structured-headers ~1.9 kB (`RateLimit`
// parser, reachable from every call), openapi-fetch's serializers ~0.8 kB, and ~22.7 kB of
// portico's own code. Of that, minified: core's call pipeline ~19 kB, credentials and safety rails
// ~11.5 kB, token manager and token endpoint client ~11 kB, browser sign-in, session and cross-tab
// token sharing ~13 kB, the generated IMS descriptor and error schemas ~4 kB.
// A client built from core alone (second entry, 20.5 kB) keeps none of the token manager, PKCE,
// session or client-credentials code, also when bundled from core's flat `dist` (bench/bundle.mjs).
const forBrowser = (config) => ({ ...config, platform: "browser", target: "es2022", conditions: ["@portico/source"] });

module.exports = [
  {
    name: "@portico/browser + @portico/core + @atrope-ai/api-client (sign-in, session, typed IMS client)",
    path: "size/ims-app.js",
    limit: "32.5 kB",
    gzip: true,
    modifyEsbuildConfig: forBrowser,
  },
  {
    name: "@portico/core + @atrope-ai/api-client, without @portico/browser (for comparison)",
    path: "size/ims-client.js",
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
