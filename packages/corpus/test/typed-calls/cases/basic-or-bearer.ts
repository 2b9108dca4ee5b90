import { apiKey, basicAuth, bearerToken } from "@portico/core";
import { createLedgerApiClient } from "../../../.generated/basic-or-bearer/index.js";

// HTTP basic OR bearer, and a public operation (GET /v1/health): the public operation does not
// widen the credential kinds the client takes.
export async function basicOrBearerCalls(): Promise<string> {
  const byBasic = createLedgerApiClient({ baseUrl: "https://api.ledger.example.com", auth: basicAuth("user", "password") });
  const byBearer = createLedgerApiClient({ auth: bearerToken("t") });
  createLedgerApiClient({ auth: [basicAuth("user", "password"), bearerToken("t")] });
  createLedgerApiClient({ auth: { bearerAuth: bearerToken("t") } });
  // @ts-expect-error an API key serves no scheme of this spec, public operations notwithstanding
  createLedgerApiClient({ auth: apiKey("k") });
  // @ts-expect-error basicAuth is an http basic scheme: a bearer credential does not serve it
  createLedgerApiClient({ auth: { basicAuth: bearerToken("t") } });
  // @ts-expect-error no scheme of that name
  createLedgerApiClient({ auth: { tokenAuth: bearerToken("t") } });
  const balance = await byBasic.GET("/v1/balance");
  if (balance.error) return balance.error.code;
  const health = await byBearer.GET("/v1/health", { parseAs: "text" });
  if (health.error) return health.error.code;
  return `${balance.data.available ?? 0} ${health.data}`;
}
