// Lists and streams: what paging and streaming cost on top of the calls they make.
//
//   node bench/lists-and-streams.mjs [--quick]
//
// 1. Paging: 10,000 items in pages of 100 from a loopback keep-alive server (a child process),
//    through the generated IMS client: `client.paginate("GET /v1/items").pages()` against the same
//    client calling `GET /v1/items` page by page and following `nextCursor` by hand (the same
//    requests, every item visited). Interleaved rounds; the ratio is the median of per-round ratios,
//    with p25–p75. Target ≤ 1.1× for the pages; iterating items (`for await` per item: one more
//    promise per item) is reported beside it.
// 2. Streaming: 100 MB of JSON Lines consumed through `client.stream(...)`, with the heap sampled
//    as it goes. Memory is flat when the heap's growth stays bounded (well under the bytes read).
import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { allStages, bearerToken, createClient } from "@portico/core";
import { createImsApiClient } from "@atrope-ai/api-client";
import { interleave } from "./lib/rounds.mjs";
import { printTable, ratio, writeResults } from "./lib/report.mjs";

const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 5 : 21;
const ITEMS = 10_000;
const PAGE = 100;
const STREAM_MB = quick ? 20 : 100;
const TARGET = 1.1;

// --- the server: a child process, so its work is not the client's ---------------------------
const SERVER = `
import http from "node:http";
const ITEMS = ${ITEMS};
const item = (i) => ({ id: "itm_" + String(i).padStart(5, "0"), sku: "SKU-" + i, name: "Item " + i, uom: "EA", trackLots: false, trackSerials: false, createdAt: "2026-01-01T00:00:00.000Z" });
const line = JSON.stringify({ id: "log_0000000", level: "info", message: "synced", payload: "x".repeat(400) }) + "\\n";
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/v1/items") {
    const start = Number(url.searchParams.get("cursor") ?? 0);
    const limit = Number(url.searchParams.get("limit") ?? 100);
    const end = Math.min(ITEMS, start + limit);
    const body = JSON.stringify({ data: Array.from({ length: end - start }, (_, k) => item(start + k)), nextCursor: end < ITEMS ? String(end) : null });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (url.pathname === "/export") {
    let left = Number(url.searchParams.get("bytes"));
    res.writeHead(200, { "content-type": "application/jsonl" });
    const pump = () => {
      while (left > 0) {
        left -= line.length;
        if (!res.write(line)) return res.once("drain", pump);
      }
      res.end();
    };
    pump();
    return;
  }
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60000;
server.listen(0, "127.0.0.1", () => process.send(server.address().port));
`;
const serverFile = fileURLToPath(new URL("./.work/lists-server.mjs", import.meta.url));
const { mkdirSync, writeFileSync } = await import("node:fs");
mkdirSync(fileURLToPath(new URL("./.work/", import.meta.url)), { recursive: true });
writeFileSync(serverFile, SERVER);
const child = fork(serverFile, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const [port] = await once(child, "message");
const baseUrl = `http://127.0.0.1:${port}`;

// --- 1. paging ------------------------------------------------------------------------------
const ims = createImsApiClient({ baseUrl, auth: bearerToken("bench-token-0123456789abcdef"), retry: { maxRetries: 2 } });
const contenders = [
  {
    name: "GET page by page, nextCursor by hand",
    async run() {
      let count = 0;
      let cursor;
      for (;;) {
        const { data, error } = await ims.GET("/v1/items", { params: { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } } });
        if (error) throw error;
        for (const item of data.data) if (item) count++;
        if (!data.nextCursor) break;
        cursor = data.nextCursor;
      }
      return count;
    },
  },
  {
    name: "client.paginate(...).pages()",
    async run() {
      let count = 0;
      for await (const page of ims.paginate("GET /v1/items", { params: { query: { limit: PAGE } } }).pages()) for (const item of page.items) if (item) count++;
      return count;
    },
  },
  {
    name: "client.paginate (items)",
    async run() {
      let count = 0;
      for await (const item of ims.paginate("GET /v1/items", { params: { query: { limit: PAGE } } })) if (item) count++;
      return count;
    },
  },
];
for (const c of contenders) {
  const n = await c.run();
  if (n !== ITEMS) throw new Error(`${c.name} saw ${n} items, not ${ITEMS}`);
}
const paging = await interleave({
  contenders,
  baseline: contenders[0].name,
  rounds: ROUNDS,
  warmup: 1,
  async measure(c) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await c.run();
    const cpu = process.cpuUsage(c0);
    return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  },
});
const pagingRows = contenders.map((c) => {
  const m = paging.contenders[c.name];
  return [c.name, `${m.wall.median.toFixed(3)} s`, ratio(m.wall.ratio.median), `${ratio(m.wall.ratio.p25)}–${ratio(m.wall.ratio.p75)}`, `${m.cpu.median.toFixed(3)} s`, ratio(m.cpu.ratio.median)];
});
printTable(
  `paging ${ITEMS.toLocaleString("en")} items in pages of ${PAGE} (${ITEMS / PAGE} requests), ${paging.rounds} interleaved rounds; ratio = median of per-round ratios`,
  ["contender", "wall", "wall ratio", "(p25–p75)", "client CPU", "CPU ratio"],
  pagingRows,
);
const pagingRatio = paging.contenders[contenders[1].name].wall.ratio.median;
const itemsRatio = paging.contenders[contenders[2].name].wall.ratio.median;

// --- 2. streaming ---------------------------------------------------------------------------
const exportApi = {
  name: "export",
  servers: [],
  securitySchemes: {},
  operations: { "GET /export": { stream: { format: "jsonl" } } },
};
const streamer = createClient(exportApi, { baseUrl, retry: false }, allStages);
const bytes = STREAM_MB * 1_000_000;
const samples = [];
let lines = 0;
let read = 0;
const before = process.memoryUsage();
const t0 = performance.now();
for await (const entry of streamer.stream("GET /export", { params: { query: { bytes } } })) {
  lines++;
  read += entry.payload.length + 60;
  if (lines % 2000 === 0) samples.push(process.memoryUsage().heapUsed);
}
const seconds = (performance.now() - t0) / 1000;
const growthMB = (Math.max(...samples) - before.heapUsed) / 1e6;
printTable(
  `streaming ${STREAM_MB} MB of JSON Lines through client.stream (heap sampled every 2,000 lines)`,
  ["lines", "MB read", "seconds", "MB/s", "heap before", "heap max", "growth", "verdict"],
  [[lines.toLocaleString("en"), (read / 1e6).toFixed(0), seconds.toFixed(1), (read / 1e6 / seconds).toFixed(0), `${(before.heapUsed / 1e6).toFixed(0)} MB`, `${(Math.max(...samples) / 1e6).toFixed(0)} MB`, `${growthMB.toFixed(1)} MB`, growthMB < 32 ? "flat (growth < 32 MB)" : "NOT flat"]],
);

console.log(`\ntarget: paginate(...).pages() ÷ page-by-page calls ≤ ${TARGET}×: ${pagingRatio <= TARGET ? "met" : "MISSED"} (${ratio(pagingRatio)}); item by item: ${ratio(itemsRatio)}`);
writeResults("lists-and-streams", {
  settings: { rounds: ROUNDS, items: ITEMS, pageSize: PAGE, streamMB: STREAM_MB, quick },
  paging: { rounds: paging.rounds, contenders: paging.contenders, target: TARGET, pagesRatio: pagingRatio, itemsRatio, met: pagingRatio <= TARGET },
  streaming: { lines, bytes: read, seconds, heapBefore: before.heapUsed, heapMax: Math.max(...samples), growthMB, flat: growthMB < 32 },
});
child.kill();
