/**
 * Loopback servers of `consumer-apps.mjs`: a stand-in of the IMS API that the browser and edge
 * apps call across origins, and a static server for a built app. Both listen on 127.0.0.1 on a
 * free port.
 */
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

/** Items of the `GET /v1/items` page the stand-in API answers (the spec's `ItemPage`). */
export const ITEMS = [
  {
    id: "5d0b7c38-2b0c-4d7e-9a55-0f3f1c1d2a01",
    sku: "WIDGET-BLUE-M",
    name: "Blue widget, medium",
    description: null,
    category: "widgets",
    status: "active",
    trackingMode: "none",
    baseUomCode: "EA",
    createdAt: "2026-01-05T09:00:00Z",
    updatedAt: "2026-01-05T09:00:00Z",
  },
  {
    id: "5d0b7c38-2b0c-4d7e-9a55-0f3f1c1d2a02",
    sku: "BOLT-M8",
    name: "Hex bolt M8",
    status: "active",
    trackingMode: "lot",
    baseUomCode: "EA",
    createdAt: "2026-01-06T09:00:00Z",
    updatedAt: "2026-02-01T12:30:00Z",
  },
];

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

function close(server) {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * The IMS API as a browser on another origin sees it: CORS preflights answered, `GET /v1/items`
 * answered with one page of {@link ITEMS}, anything else 404 in the spec's error shape. Keeps every
 * request it got (`method`, `path`, `authorization`, `origin`), so a case can check what arrived.
 */
export async function startItemsApi() {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const cors = {
      "access-control-allow-origin": req.headers.origin ?? "*",
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": req.headers["access-control-request-headers"] ?? "authorization",
      "access-control-expose-headers": "x-request-id",
      "access-control-max-age": "600",
      vary: "origin",
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors).end();
      return;
    }
    requests.push({ method: req.method, path: url.pathname, query: url.search, authorization: req.headers.authorization, origin: req.headers.origin });
    const json = (status, body) => res.writeHead(status, { ...cors, "content-type": "application/json", "x-request-id": `req-${requests.length}` }).end(JSON.stringify(body));
    if (req.method === "GET" && url.pathname === "/v1/items") json(200, { data: ITEMS, hasMore: false, nextCursor: null });
    else json(404, { code: "NOT_FOUND", message: `no route for ${req.method} ${url.pathname}` });
  });
  const origin = await listen(server);
  return { origin, requests, close: () => close(server) };
}

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml" };

/** Serves the files of `root` (a built app), `index.html` for `/`; nothing outside `root`. */
export async function serveStatic(root) {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    const file = normalize(join(root, pathname === "/" ? "index.html" : pathname));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  const origin = await listen(server);
  return { origin, close: () => close(server) };
}
