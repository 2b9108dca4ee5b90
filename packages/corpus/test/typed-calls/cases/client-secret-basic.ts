import { clientCredentials } from "@portico/core";
import { createReportsApiClient } from "../../../.generated/client-secret-basic/index.js";

export async function clientSecretBasicCalls(): Promise<string> {
  const reports = createReportsApiClient({
    baseUrl: "https://reports.example.com",
    auth: clientCredentials({ clientId: "id", clientSecret: "secret", clientAuthentication: "client_secret_basic" }),
  });
  // @ts-expect-error portico authenticates clients with client_secret_basic or client_secret_post
  clientCredentials({ clientId: "id", clientSecret: "secret", clientAuthentication: "private_key_jwt" });
  const listed = await reports.GET("/reports");
  if (listed.error) return listed.error.code;
  return `${listed.data.length}`;
}
