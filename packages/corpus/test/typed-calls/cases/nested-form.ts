import { bearerToken } from "@portico/core";
import { createCustomersApiClient } from "../../../.generated/nested-form/index.js";

export async function nestedFormCalls(): Promise<string> {
  const customers = createCustomersApiClient({ baseUrl: "https://api.customers.example.com", auth: bearerToken("t") });
  const created = await customers.POST("/v1/customers", {
    body: { name: "Jenny Rosen", address: { line1: "510 Townsend St", city: "San Francisco" }, tags: ["a", "b"], expand: ["x"] },
  });
  if (created.error) return created.error.code;
  // @ts-expect-error tags is an array of strings
  await customers.POST("/v1/customers", { body: { name: "Jenny Rosen", tags: "a" } });
  return created.data.id;
}
