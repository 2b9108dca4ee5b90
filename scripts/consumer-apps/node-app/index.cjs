// A CommonJS app: a generated client (CJS build), its errors checked by the ES module build of core.
const { createImsApiClient } = require("@atrope-ai/api-client");
const { PorticoError, isApiError } = require("@portico/core");
const { nodeFetcher } = require("@portico/node");

const assert = (ok, what) => {
  if (!ok) throw new Error(`node-cjs: ${what}`);
};

async function main() {
  const esmCore = await import("@portico/core");
  const unreachable = async () => {
    throw new TypeError("fetch failed");
  };
  const ims = createImsApiClient({ baseUrl: "https://api.atrope.dev", fetcher: unreachable, retry: false });
  const { error } = await ims.GET("/v1/items");

  assert(esmCore.PorticoError !== PorticoError, "the ES module build of @portico/core is a copy of its own");
  assert(esmCore.isPorticoError(error) && error.code === "NETWORK_ERROR", "the ES module copy's guard recognises the CommonJS copy's SDK error");
  assert(!esmCore.isApiError(error) && !isApiError(error), "an SDK error is no ApiError");
  assert(!(error instanceof esmCore.PorticoError), "instanceof cannot see across the copies (why the guards exist)");
  assert(typeof nodeFetcher === "function", "@portico/node loads");
  console.log("ok");
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
