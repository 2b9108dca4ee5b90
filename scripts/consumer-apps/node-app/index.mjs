// An ES module app: a generated client (ESM build), its errors checked by the CommonJS build of core.
import { createRequire } from "node:module";
import { createImsApiClient } from "@atrope-ai/api-client";
import { PorticoError, isApiError, isPorticoError } from "@portico/core";
import { loadSecret, nodeFetcher } from "@portico/node";

const cjsCore = createRequire(import.meta.url)("@portico/core");
const assert = (ok, what) => {
  if (!ok) throw new Error(`node-esm: ${what}`);
};

const denied = async () =>
  new Response(JSON.stringify({ code: "INSUFFICIENT_PERMISSIONS", message: "the token lacks catalog:read" }), {
    status: 403,
    headers: { "content-type": "application/json" },
  });
const ims = createImsApiClient({ baseUrl: "https://api.atrope.dev", fetcher: denied, retry: false });
const { error } = await ims.GET("/v1/items", { params: { query: { limit: 5 } } });

assert(cjsCore.PorticoError !== PorticoError, "the CommonJS build of @portico/core is a copy of its own");
assert(isApiError(error) && error.code === "INSUFFICIENT_PERMISSIONS" && error.body.message === "the token lacks catalog:read", "a declared 403 is an ApiError");
assert(cjsCore.isApiError(error) && cjsCore.isPorticoError(error), "the CommonJS copy's guards recognise the ES module copy's error");
assert(!(error instanceof cjsCore.PorticoError), "instanceof cannot see across the copies (why the guards exist)");
assert(!isPorticoError(new Error("x")) && !cjsCore.isPorticoError({ code: "NOT_FOUND" }), "other errors are not portico errors");
assert(typeof nodeFetcher === "function" && typeof loadSecret === "function", "@portico/node loads");

let thrown;
try {
  createImsApiClient({ softWindowMs: 60_000 });
} catch (caught) {
  thrown = caught;
}
assert(cjsCore.isPorticoError(thrown) && thrown.code === "INVALID_OPTIONS" && /option of the token credential/.test(thrown.message), "token settings on the client say they go on the credential");
console.log("ok");
