/**
 * `parseAs: "stream"`: the body is handed over unread, and the call's signal still cancels it
 * while the caller reads (the attempt that fetched it is over by then). Against a real loopback
 * server whose body stalls after its first chunk; the test waits on the server's socket events.
 */
import { getEventListeners } from "node:events";
import type { ServerResponse } from "node:http";
import { describe, expect, test } from "vitest";
import { allStages, createClient, PorticoError } from "../../src/index.js";
import { closed, useLoopbacks } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/paths.js";

const { server } = useLoopbacks();

/** A server that sends 200, the first chunk of a JSON body, and then nothing more until `finish`. */
async function stallingApi() {
  const open: ServerResponse[] = [];
  const api = await server((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"id":"i1",');
    open.push(res);
  });
  return { api, finish: () => open.forEach((res) => res.end('"name":"ok"}')) };
}

async function streamed(url: string, signal?: AbortSignal) {
  const client = createClient<paths>(descriptor, { baseUrl: url, retry: false }, allStages);
  const { data, error } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "i1" } }, parseAs: "stream", ...(signal ? { signal } : {}) });
  expect(error).toBeUndefined();
  return (data as unknown as ReadableStream<Uint8Array>).getReader();
}

describe('parseAs: "stream"', () => {
  test("the call's signal, aborted while the caller reads, fails the read with ABORTED and closes the connection", async () => {
    const { api } = await stallingApi();
    const controller = new AbortController();
    const reader = await streamed(api.url, controller.signal);
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('{"id":"i1",');
    const next = reader.read(); // waits on the stalled body
    controller.abort(new Error("the caller gave up"));
    const failure = await next.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PorticoError);
    expect(failure).toMatchObject({ code: "ABORTED", message: "GET /v1/items/{itemId} was aborted by the caller's signal." });
    expect((failure as PorticoError).cause).toEqual(new Error("the caller gave up"));
    await closed(api.requests[0]!.socket); // the request was cancelled, not left open
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  test("a body read to its end, or cancelled by the caller, leaves no listener on the signal", async () => {
    const { api, finish } = await stallingApi();
    const controller = new AbortController();
    const reader = await streamed(api.url, controller.signal);
    finish();
    let text = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
    expect(JSON.parse(text)).toEqual({ id: "i1", name: "ok" });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);

    const cancelled = await streamed(api.url, controller.signal);
    await cancelled.cancel("not needed");
    await closed(api.requests[1]!.socket);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    controller.abort(); // after the body is gone: nothing to do, nothing thrown
  });

  test("a signal aborted by the time the body is handed over fails its first read", async () => {
    const { api } = await stallingApi();
    const controller = new AbortController();
    const client = createClient<paths>(descriptor, { baseUrl: api.url, retry: false, hooks: { onResponse: () => controller.abort("late") } }, allStages);
    const { data, error } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "i1" } }, parseAs: "stream", signal: controller.signal });
    expect(error).toBeUndefined(); // the body was handed over: its first read fails
    await expect((data as unknown as ReadableStream<Uint8Array>).getReader().read()).rejects.toMatchObject({ code: "ABORTED" });
    await closed(api.requests[0]!.socket);
  });
});
