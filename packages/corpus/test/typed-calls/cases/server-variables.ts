import { bearerToken } from "@portico/core";
import { createWarehouseApiClient } from "../../../.generated/server-variables/index.js";

export async function serverVariablesCalls(): Promise<string> {
  const warehouse = createWarehouseApiClient({ serverVariables: { account: "acme", region: "us" }, auth: bearerToken("t") });
  // @ts-expect-error region is one of "eu" | "us"
  createWarehouseApiClient({ serverVariables: { account: "acme", region: "ap" }, auth: bearerToken("t") });
  // @ts-expect-error the server has no variable "tenant"
  createWarehouseApiClient({ serverVariables: { tenant: "acme" }, auth: bearerToken("t") });
  const stock = await warehouse.GET("/stock/{sku}", { params: { path: { sku: "sku-1" } } });
  if (stock.error) return stock.error.code;
  return `${stock.data.onHand ?? 0}`;
}
