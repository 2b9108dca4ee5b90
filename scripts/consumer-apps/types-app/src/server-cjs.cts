// The same libraries from a CommonJS module (`require` conditions, `.d.cts` types).
import { createImsApiClient } from "@atrope-ai/api-client";
import { isApiError } from "@portico/core";
import { nodeFetcher } from "@portico/node";

export async function firstSku(): Promise<string | undefined> {
  const ims = createImsApiClient({ baseUrl: "https://api.atrope.dev", fetcher: nodeFetcher });
  const { data, error } = await ims.GET("/v1/items");
  if (isApiError(error)) return error.body.message;
  return data?.data[0]?.sku;
}
