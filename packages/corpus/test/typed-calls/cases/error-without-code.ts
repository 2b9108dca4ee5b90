import { apiKey, isApiError } from "@portico/core";
import { createCatalogApiClient, type components } from "../../../.generated/error-without-code/index.js";
import { expectType, type Equal } from "./support.js";

type NotFound = components["schemas"]["NotFound"];
type Problem = components["schemas"]["Problem"];

// No code enum: `error.code` is the status-derived code, and it narrows `error.body` as the status does.
export async function errorWithoutCodeCalls(): Promise<string> {
  const catalog = createCatalogApiClient({ baseUrl: "https://api.catalog.example.com", auth: apiKey("k") });
  const item = await catalog.GET("/items/{id}", { params: { path: { id: "sku-1" } } });
  if (!item.error) return item.data.id;
  const error = item.error;
  switch (error.code) {
    case "NOT_FOUND":
      expectType<Equal<typeof error.body, NotFound>>(true);
      expectType<Equal<typeof error.status, 404>>(true);
      // @ts-expect-error the 404 body has no `title` (that is the 422's problem body)
      return error.body.title;
    case "UNPROCESSABLE_CONTENT":
      expectType<Equal<typeof error.body, Problem>>(true);
      return `${error.body.title} ${error.body.errors?.[0]?.field ?? ""}`;
    // @ts-expect-error a free-form `code: string` in a body is not an error code
    case "item_missing":
      return "never";
    default:
      return error.code;
  }
}

export async function errorWithoutCodeByStatus(): Promise<string> {
  const catalog = createCatalogApiClient({ baseUrl: "https://api.catalog.example.com", auth: apiKey("k") });
  const item = await catalog.GET("/items/{id}", { params: { path: { id: "sku-1" } } });
  if (!item.error) return item.data.id;
  const error = item.error;
  if (!isApiError(error)) return error.code;
  switch (error.status) {
    case 404:
      expectType<Equal<typeof error.body, NotFound>>(true);
      expectType<Equal<typeof error.code, "NOT_FOUND">>(true);
      return error.body.documentation_url ?? error.body.message;
    case 422:
      expectType<Equal<typeof error.body, Problem>>(true);
      expectType<Equal<typeof error.code, "UNPROCESSABLE_CONTENT">>(true);
      return error.body.title;
    default: {
      // Both declared statuses are handled: nothing is left.
      const exhaustive: never = error;
      return exhaustive;
    }
  }
}
