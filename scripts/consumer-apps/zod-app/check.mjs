// An app on zod 4.1: the client validates its options and the declared error bodies with that copy.
import { createImsApiClient } from "@atrope-ai/api-client";
import { isApiError, isPorticoError } from "@portico/core";

const conflict = async () =>
  new Response(JSON.stringify({ code: "INSUFFICIENT_PERMISSIONS", message: "no catalog:read" }), { status: 403, headers: { "content-type": "application/json" } });
const ims = createImsApiClient({ baseUrl: "https://api.atrope.dev", fetcher: conflict, retry: false });
const { error } = await ims.GET("/v1/items");
if (!isApiError(error) || error.code !== "INSUFFICIENT_PERMISSIONS") throw new Error(`zod-app: expected the declared 403 parsed by zod 4.1, got ${String(error)}`);
let refused;
try {
  createImsApiClient({ baseUrl: "not a url" });
} catch (caught) {
  refused = caught;
}
if (!isPorticoError(refused) || refused.code !== "INVALID_OPTIONS") throw new Error("zod-app: a bad baseUrl must be refused with INVALID_OPTIONS");
console.log("ok");
