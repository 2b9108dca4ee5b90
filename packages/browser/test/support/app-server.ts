import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The test page's entry: imports `@portico/browser` (source), `@portico/core` and the IMS client. */
const ENTRY = fileURLToPath(new URL("../chromium/app.ts", import.meta.url));

/** The bundled page: its entry `/app.js` and the chunks that `import()` loads, by URL path. */
export interface PageBundle {
  readonly files: ReadonlyMap<string, string>;
  /** The URL path of the file that holds the source module ending in `source`, e.g. "src/tokens/broadcast-lock.ts". */
  fileOf(source: string): string | undefined;
}

const OUT_DIR = "/page";

/**
 * Bundles the page with esbuild for the browser, resolving workspace packages from source
 * (`@portico/source`), as a user's bundler would resolve their `import` builds: modules loaded by
 * `import()` go into chunks of their own, which the page fetches when it first needs them.
 */
export async function bundlePage(): Promise<PageBundle> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    metafile: true,
    splitting: true,
    outdir: OUT_DIR,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["@portico/source"],
    sourcemap: "inline",
    logLevel: "silent",
  });
  const urlPath = (path: string): string => path.slice(path.lastIndexOf(OUT_DIR) + OUT_DIR.length);
  const files = new Map(result.outputFiles.map((file) => [urlPath(file.path), file.text]));
  if (!files.has("/app.js")) throw new Error("esbuild produced no /app.js");
  const outputs = Object.entries(result.metafile.outputs);
  return {
    files,
    fileOf: (source) => {
      const found = outputs.find(([, output]) => Object.keys(output.inputs).some((input) => input.endsWith(source)));
      return found === undefined ? undefined : urlPath(found[0]);
    },
  };
}

/**
 * How the server refuses a path: `"not-found"` answers 404, as after a deployment that removed
 * the file; `"drop"` closes the connection without an answer, as a network gone away would.
 */
export type Refusal = "not-found" | "drop";

export interface AppServerOptions {
  /** Paths the server refuses, by URL path; read on every request, so a test may change it while the server runs. */
  readonly refuse?: ReadonlyMap<string, Refusal>;
}

/** A loopback server for the test app: every HTML path serves the app with `config`; `/app.js` and its chunks the bundle. */
export interface AppServer {
  readonly origin: string;
  /** The URL paths refused so far (see {@link AppServerOptions.refuse}), in order. */
  readonly refused: readonly string[];
  stop(): Promise<void>;
}

export async function startAppServer(bundle: PageBundle, config: unknown, options: AppServerOptions = {}): Promise<AppServer> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>portico browser test</title></head><body>
<script type="application/json" id="portico-config">${JSON.stringify(config).replace(/</g, "\\u003c")}</script>
<script type="module" src="/app.js"></script></body></html>`;
  const refused: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const refusal = options.refuse?.get(path);
    if (refusal !== undefined) {
      refused.push(path);
      if (refusal === "drop") request.socket.destroy();
      else response.writeHead(404, { "cache-control": "no-store" }).end();
      return;
    }
    const script = bundle.files.get(path);
    if (script !== undefined) {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" });
      response.end(script);
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
    refused,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
