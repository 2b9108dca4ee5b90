import { apiKey } from "@portico/core";
import { createBlockfrostApiClient } from "../../.generated/blockfrost/index.js";

export async function blockfrostCalls(): Promise<string> {
  const blockfrost = createBlockfrostApiClient({ baseUrl: "https://cardano-mainnet.blockfrost.io/api/v0", auth: apiKey("mainnetProjectId") });
  const latest = await blockfrost.GET("/blocks/latest");
  if (latest.error) return latest.error.code;
  const block = await blockfrost.GET("/blocks/{hash_or_number}", { params: { path: { hash_or_number: latest.data.hash } } });
  if (block.error) return `${block.error.status}`;
  return block.data.hash;
}
