import { clientCredentials } from "@portico/core";
import { createOrdersApiClient } from "../../.generated/paypal-orders/index.js";

export async function paypalCalls(): Promise<string | undefined> {
  const paypal = createOrdersApiClient({
    baseUrl: "https://api-m.sandbox.paypal.com",
    auth: clientCredentials({ clientId: "client-id", clientSecret: "client-secret", clientAuthentication: "client_secret_basic" }),
  });
  const created = await paypal.POST("/v2/checkout/orders", {
    body: { intent: "CAPTURE", purchase_units: [{ amount: { currency_code: "USD", value: "100.00" } }] },
  });
  if (created.error) return created.error.code;
  const order = await paypal.GET("/v2/checkout/orders/{id}", { params: { path: { id: created.data.id ?? "" } } });
  if (order.error) return `${order.error.status}`;
  return order.data.status;
}
