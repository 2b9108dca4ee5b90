// Uses the module `portico generate` wrote into src/generated (from specs/ims.yaml).
import { isApiError } from "@portico/core";
import { createImsApiClient } from "./generated/index.js";

const denied = async (): Promise<Response> =>
  new Response(JSON.stringify({ code: "INSUFFICIENT_PERMISSIONS", message: "no catalog:read" }), { status: 403, headers: { "content-type": "application/json" } });

const ims = createImsApiClient({ baseUrl: "https://api.atrope.dev", fetcher: denied, retry: false });
const { error } = await ims.GET("/v1/items", { params: { query: { limit: 1 } } });
if (!isApiError(error) || error.code !== "INSUFFICIENT_PERMISSIONS") throw new Error(`codegen-app: expected the declared 403, got ${String(error)}`);
console.log("ok");
