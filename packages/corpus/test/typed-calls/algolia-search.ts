import { apiKey } from "@portico/core";
import { createSearchApiClient } from "../../.generated/algolia-search/index.js";

export async function algoliaCalls(): Promise<string | number> {
  const search = createSearchApiClient({ serverVariables: { appId: "MYAPPID" }, auth: { appId: apiKey("MYAPPID"), apiKey: apiKey("admin-key") } });
  const hits = await search.POST("/1/indexes/{indexName}/query", { params: { path: { indexName: "products" } }, body: { query: "shirt", hitsPerPage: 5 } });
  if (hits.error) return hits.error.code;
  const saved = await search.POST("/1/indexes/{indexName}", { params: { path: { indexName: "products" } }, body: { objectID: "blackTShirt", name: "Black T-shirt" } });
  if (saved.error) return `${saved.error.status}`;
  return hits.data.nbHits + saved.data.taskID;
}
