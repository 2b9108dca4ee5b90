import { apiKey, basicAuth, bearerToken, clientCredentials } from "@portico/core";
import { createOrdersApiClient } from "../../../.generated/openid-connect/index.js";

// Bearer only (openIdConnect), with a public operation (GET /status): a wrong kind still does not compile.
export async function openIdConnectCalls(): Promise<string> {
  const orders = createOrdersApiClient({ baseUrl: "https://orders.example.com", auth: clientCredentials({ clientId: "id", clientSecret: "secret" }) });
  createOrdersApiClient({ auth: bearerToken("t") });
  createOrdersApiClient({ auth: { oidc: clientCredentials({ clientId: "id", clientSecret: "secret" }) } });
  // @ts-expect-error an API key on a bearer-only spec, public operations notwithstanding
  createOrdersApiClient({ auth: apiKey("k") });
  // @ts-expect-error basic credentials serve no scheme of this spec
  createOrdersApiClient({ auth: basicAuth("user", "password") });
  // @ts-expect-error the oidc scheme takes a bearer credential
  createOrdersApiClient({ auth: { oidc: apiKey("k") } });
  const status = await orders.GET("/status");
  if (status.error) return status.error.code;
  const listed = await orders.GET("/orders");
  if (listed.error) return listed.error.code;
  return `${status.data.ok === true} ${listed.data.length}`;
}
