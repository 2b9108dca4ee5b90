import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The test page's entry: imports `@portico/browser` (source), `@portico/core` and the IMS client. */
const ENTRY = fileURLToPath(new URL("../chromium/app.ts", import.meta.url));

/**
 * Bundles the page with esbuild for the browser, resolving workspace packages from source
 * (`@portico/source`), as a user's bundler would resolve their `import` builds.
 */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["@portico/source"],
    sourcemap: "inline",
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error("esbuild produced no output");
  return output.text;
}

/** A loopback server for the test app: every HTML path serves the app with `config`; `/app.js` the bundle. */
export interface AppServer {
  readonly origin: string;
  stop(): Promise<void>;
}

export async function startAppServer(bundle: string, config: unknown): Promise<AppServer> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>portico browser test</title></head><body>
<script type="application/json" id="portico-config">${JSON.stringify(config).replace(/</g, "\\u003c")}</script>
<script type="module" src="/app.js"></script></body></html>`;
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path === "/app.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
      response.end(bundle);
      return;
    }
    if (path === "/favicon.ico") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
