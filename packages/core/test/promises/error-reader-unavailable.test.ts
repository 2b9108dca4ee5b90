/**
 * Error responses are read by a module that core loads with the first one (`client/read-error`, a
 * chunk of its own in the built package and in an app's bundle). When that chunk cannot be loaded
 * (an app redeployed under an open page, a page gone offline), a call that got an error response
 * still ends with a typed error that says what happened, never with the loader's raw error.
 *
 * The chunk is really missing here: the test copies the built package (`dist/`, ESM and CJS, as
 * published) and deletes the error reader's chunks from the copy, then calls an API on loopback
 * through the copy's public factory.
 */
import type { ServerResponse } from "node:http";
import { describe, expect, test } from "vitest";
import { descriptor, type paths } from "../pipeline/fixtures/paths.js";
import { json, useLoopbacks } from "../support/loopback.js";
import { useBuildsWithoutChunk } from "../support/build-without-chunk.js";

const loopbacks = useLoopbacks();
const copy = useBuildsWithoutChunk("read-error");

const notFound = (res: ServerResponse): void => json(res, 404, { code: "ITEM_NOT_FOUND", message: "no item sku-1" }, { "x-request-id": "req-404" });

describe.each(["ESM", "CJS"] as const)("an error response when the error reader cannot be loaded (%s build)", (build) => {
  test("ends the call with UNEXPECTED_RESPONSE saying so and how to fix it; the reader loads again once its chunk is back", async () => {
    const core = copy.core(build);
    const api = await loopbacks.server((_req, res) => notFound(res));
    const client = core.createClient<paths>(descriptor, { baseUrl: api.url, auth: core.bearerToken("t0ken-value-abcdef"), retry: false }, core.allStages);
    const call = () => client.GET("/v1/items/{itemId}", { params: { path: { itemId: "sku-1" } } });

    const { data, error, meta, response } = await call();
    expect(data).toBeUndefined();
    expect(core.isPorticoError(error)).toBe(true);
    expect(core.isApiError(error)).toBe(false);
    expect(error).toBeInstanceOf(core.PorticoError);
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(error?.status).toBe(404);
    expect(error?.requestId).toBe("req-404");
    expect(error?.message).toMatch(/^GET \/v1\/items\/\{itemId\} answered 404, but portico's error reader, a module loaded with the first error response, could not be loaded to read it \(.+\)\. Reload the page or restart the app, and check that it serves all of its JavaScript chunks/);
    expect(error?.message).not.toContain("t0ken-value-abcdef");
    // What the loader threw is kept as the cause, redacted like any foreign error.
    expect(error?.cause).toBeInstanceOf(Error);
    expect((error?.cause as Error).message).toMatch(/^Cannot find module /);
    expect(meta).toMatchObject({ status: 404, requestId: "req-404", attempts: 1 });
    // The body it could not read was released, not left holding the connection.
    expect(response?.bodyUsed).toBe(true);

    // Once the chunk is served again, the next error response is read as the spec declares it.
    copy.restore(build);
    const again = await call();
    expect(core.isApiError(again.error)).toBe(true);
    expect(again.error).toMatchObject({ code: "ITEM_NOT_FOUND", status: 404, requestId: "req-404", body: { code: "ITEM_NOT_FOUND", message: "no item sku-1" } });
    expect(api.requests).toHaveLength(2);
  });
});
