/**
 * 409 semantics read from the spec: IMS answers 409 both for "a request with this Idempotency-Key
 * is still in progress" (retry it, same key) and for real conflicts such as SKU_ALREADY_EXISTS
 * (retrying only wastes time). `x-portico-retryable` on the 409 responses of specs/ims.yaml tells
 * the two apart; this drives the generated client against a loopback server.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { json } from "./support/json.js";
import { createImsApiClient, imsDescriptor } from "@atrope-ai/api-client";

type Reply = (res: ServerResponse, index: number) => void;

let server: Server;
let baseUrl: string;
let reply: Reply;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      seen.push(req.headers);
      reply(res, seen.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

beforeEach(() => {
  seen.length = 0;
});

const body = { sku: "WIDGET-BLUE-M", name: "Blue widget, medium", baseUomCode: "EA" };
const item = { id: "6f1c2b9e-5f0b-4f6b-9d59-1c1f4c1a2b3c", ...body, status: "active", trackingMode: "none", createdAt: "2026-01-01T00:00:00Z", updatedAt: "2026-01-01T00:00:00Z" };
const client = () => createImsApiClient({ baseUrl, retry: { baseDelayMs: 5, maxDelayMs: 20 } });

describe("IMS 409 responses (x-portico-retryable in specs/ims.yaml)", () => {
  it("the descriptor marks IDEMPOTENCY_KEY_IN_USE, and only it, retryable on the idempotent creates", () => {
    const create = imsDescriptor.operations["POST /v1/items"];
    expect(create?.errors?.["409"]).toEqual(["SKU_ALREADY_EXISTS", "IDEMPOTENCY_KEY_IN_USE"]);
    expect(create?.retryableCodes).toEqual(["IDEMPOTENCY_KEY_IN_USE"]);
    for (const [key, op] of Object.entries(imsDescriptor.operations)) {
      if (op.errors?.["409"]?.includes("IDEMPOTENCY_KEY_IN_USE")) expect(op.retryableCodes, key).toEqual(["IDEMPOTENCY_KEY_IN_USE"]);
      else expect(op.retryableCodes, key).toBeUndefined();
    }
  });

  it("SKU_ALREADY_EXISTS is a real conflict: one attempt, the typed error", async () => {
    reply = (res) => json(res, 409, { code: "SKU_ALREADY_EXISTS", message: "An item with SKU WIDGET-BLUE-M already exists" });
    const { error, meta } = await client().POST("/v1/items", { body });
    expect(error?.code).toBe("SKU_ALREADY_EXISTS");
    expect(error?.status).toBe(409);
    expect(meta.attempts).toBe(1);
    expect(seen).toHaveLength(1);
  });

  it("IDEMPOTENCY_KEY_IN_USE is retried with the same key until the first request has finished", async () => {
    reply = (res, i) => (i < 2 ? json(res, 409, { code: "IDEMPOTENCY_KEY_IN_USE", message: "still in progress" }) : json(res, 201, item));
    const { data, error, meta } = await client().POST("/v1/items", { body });
    expect(error).toBeUndefined();
    expect(data?.id).toBe(item.id);
    expect(meta.attempts).toBe(3);
    const keys = seen.map((headers) => headers["idempotency-key"]);
    expect(keys[0]).toEqual(expect.any(String));
    expect(new Set(keys)).toEqual(new Set([meta.idempotencyKey]));
  });
});
