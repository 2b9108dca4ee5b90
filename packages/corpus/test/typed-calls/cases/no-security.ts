import { apiKey, basicAuth, bearerToken } from "@portico/core";
import { createGistsLiteApiClient } from "../../../.generated/no-security/index.js";

// The spec declares no security requirement (only `security: []` on GET /meta): any credential
// the user gives applies, so every kind compiles, and every operation stays callable.
export async function noSecurityCalls(): Promise<string> {
  const gists = createGistsLiteApiClient({ baseUrl: "https://api.gists.example.com", auth: bearerToken("gho_x") });
  createGistsLiteApiClient({ auth: apiKey("k", { header: "X-Gists-Key" }) });
  createGistsLiteApiClient({ auth: basicAuth("user", "password") });
  // @ts-expect-error the raw token string is not a credential: wrap it, bearerToken("gho_x")
  createGistsLiteApiClient({ auth: "gho_x" });
  const listed = await gists.GET("/gists");
  if (listed.error) return listed.error.code;
  const created = await gists.POST("/gists", { body: { description: "notes", public: false } });
  if (created.error) return created.error.code;
  const meta = await gists.GET("/meta");
  if (meta.error) return meta.error.code;
  return `${listed.data.length} ${created.data.id} ${meta.data.version ?? ""}`;
}
