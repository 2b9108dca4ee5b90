import { basicAuth } from "@portico/core";
import { createStripeApiClient } from "../../.generated/stripe/index.js";

export async function stripeCalls(): Promise<string> {
  const stripe = createStripeApiClient({ baseUrl: "https://api.stripe.com", auth: basicAuth("sk_test_x", "") });
  const created = await stripe.POST("/v1/customers", {
    body: { name: "Jenny Rosen", address: { line1: "510 Townsend St", city: "San Francisco" }, metadata: { order_id: "6735" } },
  });
  if (created.error) return created.error.code;
  const customer = await stripe.GET("/v1/customers/{customer}", { params: { path: { customer: created.data.id } } });
  if (customer.error) return `${customer.error.status} ${customer.error.code}`;
  return customer.data.id;
}
