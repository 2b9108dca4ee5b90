/**
 * Core encodes plain JSON data (and a `bodySerializer`'s string) with code loaded up front; every
 * other request body (bytes, streams, FormData, `text/*`, ...) is encoded by a module loaded with
 * the first such body (`client/encode-other-body`, a chunk of its own in the built package and in
 * an app's bundle). When that chunk cannot be loaded (an app redeployed under an open page, a page
 * gone offline), JSON calls still work, and a call with another body ends with a typed error that
 * says what happened, nothing sent, never with the loader's raw error.
 *
 * The chunk is really missing here: the test copies the built package (`dist/`, ESM and CJS, as
 * published) and deletes the encoder's chunks from the copy, then calls an API on loopback
 * through the copy's public factory.
 */
import { describe, expect, test } from "vitest";
import { descriptor, type paths } from "../pipeline/fixtures/paths.js";
import { json, useLoopbacks } from "../support/loopback.js";
import { useBuildsWithoutChunk } from "../support/build-without-chunk.js";

const loopbacks = useLoopbacks();
const copy = useBuildsWithoutChunk("encode-other-body");

/** `POST /v1/items` with any body: the fixture types it as a JSON object. */
type AnyBody = { body: never };

const MISSING =
  /^The request was not sent: portico's body encoder for (.+), a module loaded with the first body that is not plain JSON data, could not be loaded\. Reload the page or restart the app, and check that it serves all of its JavaScript chunks: a deployment that replaced them while the app was running is the usual cause\.$/;

describe.each(["ESM", "CJS"] as const)("request bodies when the body encoder cannot be loaded (%s build)", (build) => {
  test("JSON data and serialized strings are sent; any other body ends the call with NETWORK_ERROR, nothing sent, until the chunk is back", async () => {
    const core = copy.core(build);
    const api = await loopbacks.server((_req, res) => json(res, 201, { id: "i-1", name: "bolt", quantity: 1 }));
    const client = core.createClient<paths>(descriptor, { baseUrl: api.url, auth: core.bearerToken("t0ken-value-abcdef"), retry: false }, core.allStages);
    const post = (init: Record<string, unknown>) => client.POST("/v1/items", { idempotencyKey: "k-1", ...init } as unknown as AnyBody);

    // What most calls send needs only the code loaded up front.
    expect((await post({ body: { name: "bolt", quantity: 1 } })).error).toBeUndefined();
    expect((await post({ body: ["a", 1, null] })).error).toBeUndefined();
    expect((await post({ body: "bolt", headers: { "content-type": "application/merge-patch+json" } })).error).toBeUndefined();
    expect((await post({ body: { name: "bolt" }, bodySerializer: (body: unknown) => `<${JSON.stringify(body)}>` })).error).toBeUndefined();
    expect(api.requests.map((r) => [r.body, r.headers["content-type"]])).toEqual([
      ['{"name":"bolt","quantity":1}', "application/json"],
      ['["a",1,null]', "application/json"],
      ['"bolt"', "application/merge-patch+json"],
      ['<{"name":"bolt"}>', "application/json"],
    ]);

    const form = new FormData();
    form.set("name", "bolt");
    const cases: [init: Record<string, unknown>, what: string][] = [
      [{ body: new TextEncoder().encode("raw"), headers: { "content-type": "application/octet-stream" } }, "a Uint8Array body sent as application/octet-stream"],
      [{ body: new Blob(["raw"]) }, "a Blob body"],
      [{ body: form }, "a FormData body"],
      [{ body: "hello", headers: { "content-type": "text/plain" } }, "a string body sent as text/plain"],
      [{ body: { name: "bolt" }, bodySerializer: () => new URLSearchParams({ name: "bolt" }) }, "a URLSearchParams returned by bodySerializer"],
    ];
    for (const [init, what] of cases) {
      const { data, error, response } = await post(init);
      expect(data).toBeUndefined();
      expect(response).toBeUndefined();
      expect(core.isPorticoError(error)).toBe(true);
      expect(error).toBeInstanceOf(core.PorticoError);
      expect(error?.code).toBe("NETWORK_ERROR");
      expect(error?.message).toMatch(MISSING);
      expect(MISSING.exec(error?.message ?? "")?.[1]).toBe(what);
      expect(error?.message).not.toContain("t0ken-value-abcdef");
      // What the loader threw is kept as the cause, redacted like any foreign error.
      expect(error?.cause).toBeInstanceOf(Error);
      expect((error?.cause as Error).message).toMatch(/^Cannot find module /);
    }
    expect(api.requests, "nothing was sent for the bodies that could not be encoded").toHaveLength(4);

    // Once the chunk is served again, the next such body is encoded and sent as before.
    copy.restore(build);
    expect((await post({ body: new TextEncoder().encode("raw"), headers: { "content-type": "application/octet-stream" } })).error).toBeUndefined();
    expect((await post({ body: form })).error).toBeUndefined();
    expect(api.requests).toHaveLength(6);
    expect([api.requests[4]?.body, api.requests[4]?.headers["content-type"]]).toEqual(["raw", "application/octet-stream"]);
    expect(api.requests[5]?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(api.requests[5]?.body).toContain('name="name"\r\n\r\nbolt\r\n');
  });
});
