import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The seed's snippet (seeds/atrope-ims-auth.txt, "With the SDK — inject via the fetcher option"),
// verbatim except for `baseUrl`, which points at a loopback server here.
import { createImsApiClient } from "@atrope-ai/api-client";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const accessToken = "eyJhbGciOiJSUzI1NiJ9.seed-snippet-test.signature";
const item = {
  id: "6f1c2b9e-5f0b-4f6b-9d59-1c1f4c1a2b3c",
  sku: "WIDGET-BLUE-M",
  name: "Blue widget, medium",
  status: "active",
  trackingMode: "none",
  baseUomCode: "EA",
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
};

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const created = req.method === "POST";
      res.writeHead(created ? 201 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify(created ? item : { data: [item], hasMore: false, nextCursor: null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

describe("the seed's createImsApiClient snippet", () => {
  const client = () =>
    createImsApiClient({
      baseUrl: baseUrl,
      fetcher: (url, init) =>
        fetch(url, {
          ...init,
          headers: {
            ...init?.headers,
            Authorization: `Bearer ${accessToken}`,
          },
        }),
    });

  it("sends the token on a GET and returns typed data", async () => {
    seen.length = 0;
    const ims = client();
    const { data, error } = await ims.GET("/v1/items", { params: { query: { limit: 10 } } });
    expect(error).toBeUndefined();
    expect(data?.data[0]?.sku).toBe("WIDGET-BLUE-M");
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe("GET");
    expect(seen[0]?.url).toBe("/v1/items?limit=10");
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${accessToken}`);
  });

  it("sends the token and keeps Content-Type: application/json on a POST with a JSON body", async () => {
    seen.length = 0;
    const ims = client();
    const body = { sku: "WIDGET-BLUE-M", name: "Blue widget, medium", baseUomCode: "EA" };
    const { data, error } = await ims.POST("/v1/items", { body });
    expect(error).toBeUndefined();
    expect(data?.id).toBe(item.id);
    expect(seen).toHaveLength(1);
    const request = seen[0];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v1/items");
    expect(request?.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(request?.headers["content-type"]).toMatch(/^application\/json\b/);
    expect(JSON.parse(request?.body ?? "")).toEqual(body);
  });
});
