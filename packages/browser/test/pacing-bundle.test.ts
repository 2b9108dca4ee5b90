/**
 * A feature a spec does not use costs nothing: the pacing code (`pacing/pacing.ts`, the memory
 * pace store) reaches an app's bundle only through a stage that paces. An app is bundled from
 * core's sources as a user's bundler would (esbuild, `@portico/source`, for the browser), and the
 * modules that put bytes into the output are read from esbuild's metafile.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { browserMetafile } from "./support/bundle.js";

const CORE_ENTRY = fileURLToPath(new URL("../../core/src/index.ts", import.meta.url));
const IMS_ENTRY = fileURLToPath(new URL("../../ims-client/src/index.ts", import.meta.url));
const PACING_MODULES = ["packages/core/src/pacing/pacing.ts", "packages/core/src/pacing/pace-store.ts"];

/** The modules that put code into the bundle of the app `source` (paths relative to the repository). */
async function bundledModules(source: string): Promise<string[]> {
  const metafile = await browserMetafile({ stdin: { contents: source, resolveDir: fileURLToPath(new URL(".", import.meta.url)), loader: "ts" } });
  const inputs = Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs));
  return inputs.filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path.replace(/^(\.\.\/)+/, "").replace(/^.*?(?=packages\/)/, ""));
}

describe("pacing code in a bundle", () => {
  it("is left out of a client whose stages do not pace", async () => {
    const modules = await bundledModules(
      `import { bearerToken, createClient } from ${JSON.stringify(CORE_ENTRY)};\n` +
        'const descriptor = { name: "none", servers: [], securitySchemes: {}, security: [], operations: {} };\n' +
        'export const client = createClient(descriptor, { baseUrl: "https://api.example.com", auth: bearerToken("static-token-0123456789abcdef0123456789abcdef") });\n',
    );
    // The app is really a client: the call path is in it.
    expect(modules).toContain("packages/core/src/client/call.ts");
    expect(modules.filter((path) => PACING_MODULES.includes(path))).toEqual([]);
  });

  it("is in the IMS client, whose spec declares rate-limit headers", async () => {
    const modules = await bundledModules(`import { createImsApiClient } from ${JSON.stringify(IMS_ENTRY)};\nexport const client = createImsApiClient({ baseUrl: "https://api.atrope.dev" });\n`);
    expect(modules).toContain("packages/core/src/stages/rate-limit.ts");
    expect(modules.filter((path) => PACING_MODULES.includes(path)).sort()).toEqual([...PACING_MODULES].sort());
  });
});
