import { apiKey } from "@portico/core";
import { createNumberInsightApiClient } from "../../.generated/vonage-number-insight/index.js";

export async function vonageCalls(): Promise<string | undefined> {
  const insight = createNumberInsightApiClient({ baseUrl: "https://api.nexmo.com/ni", auth: { apiKey: apiKey("key"), apiSecret: apiKey("secret") } });
  const basic = await insight.GET("/basic/{format}", { params: { path: { format: "json" }, query: { number: "447700900000" } } });
  if (basic.error) return basic.error.code;
  return basic.data.international_format_number;
}
