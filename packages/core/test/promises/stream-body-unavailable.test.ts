/**
 * A body read as a stream under the call's signal is handed over through a module core loads with
 * the first such call (`client/caller-stream`, a chunk of its own in the built package and in an
 * app's bundle). When that chunk cannot be loaded (an app redeployed under an open page, a page gone
 * offline), the call ends with a typed error that says so, the body released, never with the
 * loader's raw error; a call without a signal needs no module and gets its body.
 *
 * The chunk is really missing here: the test copies the built package (`dist/`, ESM and CJS, as
 * published) and deletes the chunk from the copy, then calls an API on loopback through the copy's
 * public factory.
 */
import { describe, expect, test } from "vitest";
import { descriptor, type paths } from "../pipeline/fixtures/paths.js";
import { json, useLoopbacks } from "../support/loopback.js";
import { useBuildsWithoutChunk } from "../support/build-without-chunk.js";

const loopbacks = useLoopbacks();
const copy = useBuildsWithoutChunk("caller-stream");

describe.each(["ESM", "CJS"] as const)('parseAs: "stream" under a signal when its module cannot be loaded (%s build)', (build) => {
  test("ends the call with UNEXPECTED_RESPONSE saying so and how to fix it; without a signal the body is handed over; the module loads once its chunk is back", async () => {
    const core = copy.core(build);
    const api = await loopbacks.server((_req, res) => json(res, 200, { id: "sku-1", name: "bolt" }, { "x-request-id": "req-200" }));
    const client = core.createClient<paths>(descriptor, { baseUrl: api.url, auth: core.bearerToken("t0ken-value-abcdef"), retry: false }, core.allStages);
    const call = (signal?: AbortSignal) => client.GET("/v1/items/{itemId}", { params: { path: { itemId: "sku-1" } }, parseAs: "stream", ...(signal ? { signal } : {}) });

    const { data, error, meta, response } = await call(new AbortController().signal);
    expect(data).toBeUndefined();
    expect(core.isPorticoError(error)).toBe(true);
    expect(error).toMatchObject({ code: "UNEXPECTED_RESPONSE", status: 200, requestId: "req-200" });
    expect(error?.message).toMatch(
      /^GET \/v1\/items\/\{itemId\} answered 200, but portico's stream body, a module loaded with the first call that reads a body as a stream under a signal, could not be loaded to hand it over \(.+\)\. Reload the page or restart the app, and check that it serves all of its JavaScript chunks/,
    );
    expect((error?.cause as Error).message).toMatch(/^Cannot find module /);
    expect(meta).toMatchObject({ status: 200, attempts: 1 });
    expect(response?.bodyUsed).toBe(true); // released, not left holding the connection

    const unsignalled = await call();
    expect(await new Response(unsignalled.data as unknown as ReadableStream).json()).toEqual({ id: "sku-1", name: "bolt" });

    copy.restore(build);
    const again = await call(new AbortController().signal);
    expect(await new Response(again.data as unknown as ReadableStream).json()).toEqual({ id: "sku-1", name: "bolt" });
    expect(api.requests).toHaveLength(3);
  });
});
