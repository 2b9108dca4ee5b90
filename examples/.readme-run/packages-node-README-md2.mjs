import { createNodeFetcher, nodeFetcher } from "@portico/node";
// The process-wide default: one lazily created keep-alive pool for every client.
const ims = createImsApiClient({ auth, fetcher: nodeFetcher });
// Or a configured one (also accepts any undici dispatcher: ProxyAgent, MockAgent, ...).
const fetcher = createNodeFetcher({ connections: 64, pipelining: 1, keepAliveTimeout: 10_000, headersTimeout: 30_000 });
process.on("SIGTERM", () => fetcher.close());
