/**
 * Plain JSON data is encoded by code loaded up front; every other body by a module loaded with
 * the first one (`client/encode-other-body`). Bodies on either side of that line, and on it, are
 * sent with the bytes and content types (or refused with the errors) portico has always used.
 */
import { afterEach, describe, expect, test } from "vitest";
import { allStages, createClient } from "../../src/index.js";
import { json, startLoopback, type Loopback } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/paths.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `POST /v1/items` (no declared request media type) with any body. */
async function post(init: Record<string, unknown>) {
  server = await startLoopback((_q, r) => json(r, 201, { id: "i-1", name: "bolt", quantity: 1 }));
  const client = createClient<paths>(descriptor, { baseUrl: server.url, retry: false }, allStages);
  return client.POST("/v1/items", { idempotencyKey: "k-1", ...init } as never);
}

class Money {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}
}

const circular: { self?: unknown } = {};
circular.self = circular;

describe("bodies at the edge of the JSON path are sent as before", () => {
  test.each<[name: string, init: Record<string, unknown>, body: string, contentType: string | undefined]>([
    ["a plain object", { body: { name: "bolt", quantity: 1 } }, '{"name":"bolt","quantity":1}', "application/json"],
    ["an object without a prototype", { body: Object.assign(Object.create(null) as object, { name: "bolt" }) }, '{"name":"bolt"}', "application/json"],
    ["an array", { body: [1, "a", null] }, '[1,"a",null]', "application/json"],
    ["a string", { body: "bolt" }, '"bolt"', "application/json"],
    ["zero", { body: 0 }, "0", "application/json"],
    ["false", { body: false }, "false", "application/json"],
    ["null", { body: null }, "null", "application/json"],
    ["a string for a +json type", { body: "bolt", headers: { "content-type": "application/merge-patch+json; charset=utf-8" } }, '"bolt"', "application/merge-patch+json; charset=utf-8"],
    ["an object for a wildcard type", { body: { name: "bolt" }, headers: { "content-type": "*/*" } }, '{"name":"bolt"}', "application/json"],
    ["a class instance", { body: new Money(5, "EUR") }, '{"amount":5,"currency":"EUR"}', "application/json"],
    ["a Date", { body: new Date(0) }, '"1970-01-01T00:00:00.000Z"', "application/json"],
    ["bytes for a JSON type: already-encoded JSON", { body: new TextEncoder().encode('{"name":"bolt"}'), headers: { "content-type": "application/json" } }, '{"name":"bolt"}', "application/json"],
    ["a Blob with no type named: its own type", { body: new Blob(["PNG"], { type: "image/png" }) }, "PNG", "image/png"],
    ["bytes with no type named: octets", { body: new Uint8Array([0x61, 0x62]) }, "ab", "application/octet-stream"],
    ["URLSearchParams: a form", { body: new URLSearchParams({ name: "bolt" }) }, "name=bolt", "application/x-www-form-urlencoded"],
    ["a serializer's string", { body: { name: "bolt" }, bodySerializer: () => "name;bolt" }, "name;bolt", "application/json"],
    ["a serializer's string for a named type", { body: { name: "bolt" }, bodySerializer: () => "name;bolt", headers: { "content-type": "text/csv" } }, "name;bolt", "text/csv"],
    ["a serializer's bytes", { body: { name: "bolt" }, bodySerializer: () => new TextEncoder().encode("raw") }, "raw", "application/octet-stream"],
    ["a serializer's null: no body", { body: { name: "bolt" }, bodySerializer: () => null }, "", undefined],
  ])("%s", async (_name, init, body, contentType) => {
    const { error } = await post(init);
    expect(error).toBeUndefined();
    expect(server?.requests.map((r) => [r.body, r.headers["content-type"]])).toEqual([[body, contentType]]);
  });

  test.each<[name: string, init: Record<string, unknown>, message: string]>([
    ["a function", { body: () => "bolt" }, "The request body cannot be sent as application/json: it is a function. Pass JSON-serializable data. Nothing was sent."],
    ["a BigInt", { body: 1n }, "The request body cannot be encoded as application/json: JSON.stringify failed (a circular reference or a BigInt?). Pass JSON-serializable data. Nothing was sent."],
    ["a circular object", { body: circular }, "The request body cannot be encoded as application/json: JSON.stringify failed (a circular reference or a BigInt?). Pass JSON-serializable data. Nothing was sent."],
    ["a class instance holding a BigInt", { body: Object.assign(new Money(1, "EUR"), { big: 1n }) }, "The request body cannot be encoded as application/json: JSON.stringify failed (a circular reference or a BigInt?). Pass JSON-serializable data. Nothing was sent."],
    ["a serializer's number", { body: { name: "bolt" }, bodySerializer: () => 5 }, "The bodySerializer returned a number; it must return a string, bytes (Uint8Array, ArrayBuffer, Blob), FormData or URLSearchParams. Nothing was sent."],
    ["an object as text/plain", { body: { name: "bolt" }, headers: { "content-type": "text/plain" } }, "The request body cannot be sent as text/plain: it is an object. Pass a string (numbers and booleans are converted), or bytes already encoded. Nothing was sent."],
  ])("%s → INVALID_REQUEST, nothing sent", async (_name, init, message) => {
    const { error, meta } = await post(init);
    expect(error?.code).toBe("INVALID_REQUEST");
    expect(error?.message).toBe(message);
    expect(meta.attempts).toBe(0);
    expect(server?.requests).toHaveLength(0);
  });
});
