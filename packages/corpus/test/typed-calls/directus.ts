import { apiKey } from "@portico/core";
import { createDirectusApiClient } from "../../.generated/directus/index.js";

export async function directusCalls(): Promise<string | undefined> {
  const directus = createDirectusApiClient({ baseUrl: "https://directus.example.com", auth: { KeyAuth: apiKey("static-token") } });
  const me = await directus.GET("/users/me");
  if (me.error) return me.error.code;
  const items = await directus.GET("/items/{collection}", { params: { path: { collection: "articles" }, query: { limit: 10 } } });
  if (items.error) return `${items.error.status}`;
  return `${me.data.data?.id} ${items.data.data?.length}`;
}
