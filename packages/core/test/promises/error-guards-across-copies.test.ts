/**
 * `isPorticoError` and `isApiError` recognise errors made by another copy of `@portico/core`:
 * the ES module build (`dist/index.js`) and the CommonJS build (`dist/index.cjs`), which an app
 * loads side by side when one dependency `require`s core and another `import`s it, exactly as
 * two installed versions would. `instanceof` cannot see across them.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { descriptor, type paths } from "../pipeline/fixtures/paths.js";

type Core = typeof import("../../src/index.js");

const esmFile = fileURLToPath(new URL("../../dist/index.js", import.meta.url));
const cjsFile = fileURLToPath(new URL("../../dist/index.cjs", import.meta.url));
let esm: Core;
let cjs: Core;

beforeAll(async () => {
  expect(existsSync(esmFile) && existsSync(cjsFile), "build @portico/core first (pnpm build)").toBe(true);
  esm = (await import(pathToFileURL(esmFile).href)) as Core;
  cjs = createRequire(import.meta.url)(cjsFile) as Core;
});

/** A call through a client of `core`, answered by `respond`; returns the call's error. */
async function callError(core: Core, respond: () => Promise<Response>): Promise<unknown> {
  const client = core.createClient<paths>(descriptor, { auth: core.bearerToken("t0ken-value"), fetcher: respond, retry: false }, core.allStages);
  const { error } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "sku-1" } } });
  expect(error).toBeDefined();
  return error;
}

const notFound = async () =>
  new Response(JSON.stringify({ code: "ITEM_NOT_FOUND", message: "no item sku-1" }), { status: 404, headers: { "content-type": "application/json" } });
const unreachable = async (): Promise<Response> => {
  throw new TypeError("fetch failed");
};

describe("error guards across the ESM and CJS builds of @portico/core", () => {
  test("the two builds are distinct copies: instanceof is false across them", async () => {
    expect(esm.PorticoError).not.toBe(cjs.PorticoError);
    const error = await callError(cjs, notFound);
    expect(error instanceof cjs.ApiError).toBe(true);
    expect(error instanceof esm.ApiError).toBe(false);
    expect(error instanceof esm.PorticoError).toBe(false);
  });

  test.each([
    ["CJS", "ESM"],
    ["ESM", "CJS"],
  ] as const)("a declared API error from the %s build is an ApiError to the %s build's guards", async (made, checked) => {
    const [maker, checker] = made === "CJS" ? [cjs, esm] : [esm, cjs];
    const error = await callError(maker, notFound);
    expect(checker.isPorticoError(error), checked).toBe(true);
    expect(checker.isApiError(error), checked).toBe(true);
    if (!checker.isApiError(error)) return;
    expect(error.status).toBe(404);
    expect(error.code).toBe("ITEM_NOT_FOUND");
    expect(error.body).toEqual({ code: "ITEM_NOT_FOUND", message: "no item sku-1" });
  });

  test.each([
    ["CJS", "ESM"],
    ["ESM", "CJS"],
  ] as const)("an SDK error from the %s build is a PorticoError, not an ApiError, to the %s build's guards", async (made, checked) => {
    const [maker, checker] = made === "CJS" ? [cjs, esm] : [esm, cjs];
    const error = await callError(maker, unreachable);
    expect(checker.isPorticoError(error), checked).toBe(true);
    expect(checker.isApiError(error), checked).toBe(false);
    if (checker.isPorticoError(error)) expect(error.code).toBe("NETWORK_ERROR");
  });

  test.each([
    ["an Error", new Error("boom")],
    ["an error-shaped object", { name: "ApiError", code: "NOT_FOUND", status: 404, message: "x", body: {} }],
    ["a string", "PorticoError"],
    ["null", null],
    ["undefined", undefined],
    ["an object with another value under the brand", { [Symbol.for("portico.error")]: "other" }],
  ])("%s is neither, for both builds", (_name, value) => {
    for (const core of [esm, cjs]) {
      expect(core.isPorticoError(value)).toBe(false);
      expect(core.isApiError(value)).toBe(false);
    }
  });
});
