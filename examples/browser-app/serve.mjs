// Serves the example against the local sandbox: `pnpm build && node examples/browser-app/serve.mjs`,
// then open the printed URL in two or three tabs. Inside this monorepo the imports resolve to the
// workspace packages; in your app, your bundler resolves them from node_modules.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
// Dependencies come from @portico/browser's own (dev) dependencies.
const require = createRequire(here("../../packages/browser/package.json"));
const { build } = await import(pathToFileURL(require.resolve("esbuild")).href);
const { startSandbox } = await import(pathToFileURL(here("../../packages/sandbox/dist/index.js")).href);

const sandbox = await startSandbox({ apis: ["ims", "atlas"], options: { ims: { tokenLifetimeSeconds: 60 } } });
const ims = sandbox.apis.ims.control;
const atlas = sandbox.apis.atlas.control;

const bundle = await build({
  entryPoints: [here("main.ts")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  alias: { "@portico/browser": here("../../packages/browser/dist/index.js") },
  nodePaths: [here("../../packages/browser/node_modules")],
});
const js = bundle.outputFiles[0].text;
const config = {
  authorizeUrl: ims.authorizeUrl,
  tokenUrl: ims.tokenUrl,
  clientId: ims.clients.spa.clientId,
  audience: ims.audience,
  apiUrl: sandbox.urls.ims.api,
  atlasApiUrl: sandbox.urls.atlas.api,
  atlasApiKey: atlas.credentials.apiKeys.full.secret, // a sandbox-only sk_test_ key
};
const html = (await readFile(here("index.html"), "utf8")).replace(
  "<!--CONFIG-->",
  `<script type="application/json" id="config">${JSON.stringify(config).replace(/</g, "\\u003c")}</script>`,
);

const server = createServer((request, response) => {
  const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
  if (path === "/main.js") {
    response.writeHead(200, { "content-type": "text/javascript" }).end(js);
    return;
  }
  response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
});
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const { port } = server.address();
  console.log(`Browser example: http://127.0.0.1:${port}/  (IMS sandbox ${sandbox.urls.ims.api}, tokens live 60 s)`);
  console.log("Open it in several tabs: one refresh per minute for all of them. Ctrl+C to stop.");
});
const stop = async () => {
  server.close();
  await sandbox.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
