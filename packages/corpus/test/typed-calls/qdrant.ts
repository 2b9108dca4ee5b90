import { apiKey } from "@portico/core";
import { createQdrantApiClient } from "../../.generated/qdrant/index.js";

export async function qdrantCalls(): Promise<string | undefined> {
  const qdrant = createQdrantApiClient({ serverVariables: { protocol: "https", hostname: "xyz.cloud.qdrant.io", port: "6333" }, auth: apiKey("qdrant-key") });
  const upsert = await qdrant.PUT("/collections/{collection_name}/points", {
    params: { path: { collection_name: "cities" }, query: { wait: true } },
    body: { points: [{ id: 1, vector: [0.05, 0.61, 0.76, 0.74], payload: { city: "Berlin" } }] },
  });
  if (upsert.error) return upsert.error.code;
  const collection = await qdrant.GET("/collections/{collection_name}", { params: { path: { collection_name: "cities" } } });
  if (collection.error) return `${collection.error.status}`;
  return collection.data.result?.status;
}
