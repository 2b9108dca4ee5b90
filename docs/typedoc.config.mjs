// @ts-check
/**
 * The API reference: TypeDoc over the public entries of the published packages, each converted
 * with its own `tsconfig.json`, written to `public/api/` so the VitePress build serves it at
 * `api/`. Type errors are the `typecheck` task's to report (`skipErrorChecking`); a `{@link}`
 * that resolves to nothing, or to something left out of the reference, fails the build.
 */
const base = process.env.DOCS_BASE ?? "/";
const sourceLinks = {
  sourceLinkTemplate: "https://github.com/portico-sdk/portico/blob/{gitRevision}/{path}#L{line}",
  gitRevision: "main",
};

/** @type {Partial<import("typedoc").TypeDocOptions>} */
const config = {
  name: "portico API reference",
  entryPointStrategy: "packages",
  entryPoints: ["../packages/core", "../packages/node", "../packages/browser", "../packages/codegen"],
  packageOptions: {
    // The entries users import: `@portico/core`, `/opentelemetry`, `/testing`; `src/index.ts` elsewhere.
    entryPoints: ["src/@(index|opentelemetry|testing).ts"],
    skipErrorChecking: true,
    excludeInternal: true,
    ...sourceLinks,
    // Links are validated once, over the merged reference (below).
    validation: { notExported: false, invalidLink: false, rewrittenLink: false, notDocumented: false },
  },
  plugin: ["./typedoc-entry-names.mjs"],
  out: "public/api",
  readme: "none",
  ...sourceLinks,
  navigationLinks: { Guides: `${base}guides/getting-started.html` },
  validation: { notExported: false, invalidLink: true, rewrittenLink: true, notDocumented: false },
  treatValidationWarningsAsErrors: true,
};

export default config;
