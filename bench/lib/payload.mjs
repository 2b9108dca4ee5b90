// The 1 KB IMS-shaped JSON bodies every contender receives (an `ItemPage` and an `Item`).

const item = (i) => ({
  id: `0b6f3c1e-5d2a-4c8e-9f1a-${String(100000000000 + i).slice(-12)}`,
  sku: `WIDGET-BLUE-${i}`,
  name: `Blue widget, size ${i}`,
  description: null,
  category: "widgets",
  status: "active",
  trackingMode: "none",
  baseUomCode: "EA",
  createdAt: "2025-01-02T03:04:05.000Z",
  updatedAt: "2025-01-02T03:04:05.000Z",
});

/** `ItemPage` of ~1 KB (GET /v1/items). */
export const itemPageJson = JSON.stringify({ data: [0, 1, 2, 3].map(item), hasMore: true, nextCursor: "c2t1OjQ" });

/** One `Item` padded to ~1 KB through its description (POST /v1/items answer). */
export const createdItemJson = JSON.stringify({ ...item(7), description: "x".repeat(1024 - JSON.stringify(item(7)).length - 4) });

/** Request body of POST /v1/items. */
export const createItemBody = { sku: "WIDGET-BLUE-M", name: "Blue widget, medium", baseUomCode: "EA" };

/** Headers the API sends on every answer: credits and a request id, so the pipeline parses them. */
export const apiHeaders = {
  "content-type": "application/json",
  "x-credits-remaining": "9500",
  "x-credits-cost": "1",
  "x-request-id": "req_0123456789abcdef",
};
