import { apiKey, bearerToken } from "@portico/core";
import { createIndexSearchApiClient } from "../../../.generated/two-api-keys/index.js";

export async function twoApiKeysCalls(): Promise<string> {
  const search = createIndexSearchApiClient({ baseUrl: "https://search.example.com", auth: { appId: apiKey("APP"), appKey: apiKey("KEY") } });
  // @ts-expect-error appId is an apiKey scheme: a bearer token does not serve it
  createIndexSearchApiClient({ auth: { appId: bearerToken("t"), appKey: apiKey("KEY") } });
  // @ts-expect-error no scheme of that name
  createIndexSearchApiClient({ auth: { applicationId: apiKey("APP"), appKey: apiKey("KEY") } });
  const result = await search.POST("/1/indexes/{indexName}/query", { params: { path: { indexName: "products" } }, body: { query: "shirt" } });
  if (result.error) return result.error.code;
  return `${result.data.nbHits ?? 0}`;
}
