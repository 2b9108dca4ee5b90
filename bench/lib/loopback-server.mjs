// Loopback IMS-like API + OAuth token endpoint, run as a child process (`startLoopback()`), so the
// server's CPU is not charged to the client under test. Keep-alive on; answers are ~1 KB JSON.
//
//   GET  /v1/items           200 ItemPage        (needs `Authorization: Bearer ...`)
//   POST /v1/items           201 Item            (needs bearer; echoes the Idempotency-Key it saw)
//   POST /oauth/token        200 { access_token (HS256 JWT), token_type, expires_in }
//
// IPC: { type: "stats" } → { tokenRequests, byClient: { [client_id]: [epochMs...] }, apiRequests, unauthorized }
//      { type: "reset" } / { type: "config", tokenLifetimeSec, tokenDelayMs, jwtTimesInMs }
//
// JWT `iat`/`exp` are whole seconds, as most issuers write them, unless `jwtTimesInMs` is set (RFC 7519
// NumericDate may be fractional): a benchmark that scales a 1 h token down to seconds must scale the
// rounding down too, or every token looks up to 1 s shorter than `expires_in` says.
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { apiHeaders, createdItemJson, itemPageJson } from "./payload.mjs";

const CLAIMS = "https://atrope.dev/claims/";
const SCOPES = ["catalog:read", "catalog:write", "inventory:read", "inventory:write"];

/** Starts the server in a child process; resolves `{ url, port, stats(), reset(), config(), close() }`. */
export function startLoopback(options = {}) {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: [] });
  let nextId = 0;
  const pending = new Map();
  child.on("message", (m) => {
    const waiter = pending.get(m?.id);
    if (waiter) {
      pending.delete(m.id);
      waiter(m.value);
    }
  });
  const ask = (message) =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      child.send({ ...message, id });
    });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`loopback server exited (${code})`)));
    ask({ type: "config", tokenLifetimeSec: options.tokenLifetimeSec ?? 3600, tokenDelayMs: options.tokenDelayMs ?? 0, jwtTimesInMs: options.jwtTimesInMs ?? false }).then(async () => {
      const port = await ask({ type: "port" });
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        stats: () => ask({ type: "stats" }),
        reset: () => ask({ type: "reset" }),
        config: (c) => ask({ type: "config", ...c }),
        close: () =>
          new Promise((done) => {
            child.removeAllListeners("exit");
            child.once("exit", () => done());
            child.kill();
          }),
      });
    });
  });
}

function serve() {
  const secret = new TextEncoder().encode("bench-only-hs256-key-not-a-secret-0123456789");
  let lifetimeSec = 3600;
  let delayMs = 0;
  let jwtTimesInMs = false;
  let stats = fresh();
  function fresh() {
    return { tokenRequests: 0, byClient: {}, apiRequests: 0, unauthorized: 0 };
  }

  const tokenFor = async (clientId) => {
    const tenant = clientId.startsWith("cid-") ? clientId.slice(4) : "bench-tenant";
    const now = jwtTimesInMs ? Date.now() / 1000 : Math.floor(Date.now() / 1000);
    return new SignJWT({ [`${CLAIMS}tenant_id`]: tenant, [`${CLAIMS}permissions`]: SCOPES, scope: SCOPES.join(" ") })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .setIssuer("https://bench.local/")
      .setAudience("https://api.atrope.dev")
      .setSubject(`${clientId}@clients`)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSec)
      .sign(secret);
  };

  const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const url = req.url ?? "/";
      if (req.method === "POST" && url.startsWith("/oauth/token")) {
        const text = Buffer.concat(chunks).toString("utf8");
        const params = (req.headers["content-type"] ?? "").includes("json") ? JSON.parse(text || "{}") : Object.fromEntries(new URLSearchParams(text));
        const clientId = String(params.client_id ?? "unknown");
        stats.tokenRequests++;
        (stats.byClient[clientId] ??= []).push(Date.now());
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        const body = JSON.stringify({ access_token: await tokenFor(clientId), token_type: "Bearer", expires_in: lifetimeSec, scope: SCOPES.join(" ") });
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(body);
        return;
      }
      stats.apiRequests++;
      const auth = req.headers.authorization;
      if (typeof auth !== "string" || !auth.startsWith("Bearer ")) {
        stats.unauthorized++;
        res.writeHead(401, { "content-type": "application/json" });
        res.end('{"code":"UNAUTHORIZED","message":"missing bearer token"}');
        return;
      }
      if (req.method === "POST") {
        res.writeHead(201, { ...apiHeaders, "idempotency-key": String(req.headers["idempotency-key"] ?? "") });
        res.end(createdItemJson);
        return;
      }
      res.writeHead(200, apiHeaders);
      res.end(itemPageJson);
    });
  });

  const listening = new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
  process.on("message", async (m) => {
    let value;
    if (m.type === "port") value = await listening;
    else if (m.type === "stats") value = stats;
    else if (m.type === "reset") stats = fresh();
    else if (m.type === "config") {
      lifetimeSec = m.tokenLifetimeSec ?? lifetimeSec;
      delayMs = m.tokenDelayMs ?? delayMs;
      jwtTimesInMs = m.jwtTimesInMs ?? jwtTimesInMs;
    }
    process.send({ id: m.id, value });
  });
  process.on("disconnect", () => process.exit(0));
}

if (process.argv[2] === "--serve") serve();
