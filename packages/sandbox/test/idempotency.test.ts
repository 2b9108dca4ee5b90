/**
 * The one `Idempotency-Key` store, through two APIs that answer its refusals differently: IMS (the
 * draft's `422 IDEMPOTENCY_KEY_REUSED`) and EUDR (`409 CONFLICT` with a reason). Keys belong to a
 * tenant or integration, cover one operation and body, and live 24 hours of the sandbox clock.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEudrSandbox } from "../src/apis/eudr/index.js";
import { createImsSandbox } from "../src/apis/ims/index.js";
import { runSandbox, type RunningSandbox } from "../src/framework/run-sandbox.js";
import { call } from "./support/call.js";

let sandbox: RunningSandbox<"ims" | "eudr">;
let acme: string;
let globex: string;

beforeAll(async () => {
  sandbox = await runSandbox({ ims: createImsSandbox, eudr: createEudrSandbox }, { apis: ["ims", "eudr"], options: { eudr: { seedData: false } } });
  const ims = sandbox.apis.ims.control;
  acme = await ims.issueToken({ tenantId: ims.tenants.acme.id });
  globex = await ims.issueToken({ tenantId: ims.tenants.globex.id });
});
afterAll(async () => {
  await sandbox.stop();
});

const key = () => randomBytes(8).toString("hex");
const item = (sku: string) => ({ sku, name: `Item ${sku}`, baseUomCode: "EA" });
const post = (token: string, path: string, body: unknown, idempotencyKey: string) =>
  call(sandbox.urls.ims.api, path, { token, method: "POST", body, headers: { "Idempotency-Key": idempotencyKey } });

describe("the Idempotency-Key store", () => {
  it("replays a success for the same key, operation and body (keys in any order), with Idempotent-Replayed and the retry's own request id", async () => {
    const k = key();
    const first = await post(acme, "/v1/items", { sku: `IDEM-${k}`, name: "Replayed", baseUomCode: "EA" }, k);
    expect(first.status).toBe(201);
    const again = await post(acme, "/v1/items", { baseUomCode: "EA", name: "Replayed", sku: `IDEM-${k}` }, k);
    expect([again.status, again.body]).toEqual([201, first.body]);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(again.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(first.headers.get("idempotent-replayed")).toBeNull();
  });

  it("refuses the key with another body or operation, and keeps tenants' keys apart", async () => {
    const k = key();
    expect((await post(acme, "/v1/items", item(`A-${k}`), k)).status).toBe(201);
    const otherBody = await post(acme, "/v1/items", item(`B-${k}`), k);
    expect([otherBody.status, otherBody.body["code"]]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    expect(otherBody.body["requestId"]).toBe(otherBody.headers.get("x-request-id"));
    const facility = (await call(sandbox.urls.ims.api, "/v1/facilities", { token: acme })).body["data"][0]["id"] as string;
    const created = (await call(sandbox.urls.ims.api, "/v1/items?limit=200", { token: acme })).body["data"] as Array<{ id: string; sku: string }>;
    const itemId = created.find((i) => i.sku === `A-${k}`)?.id;
    const otherOperation = await post(acme, "/v1/inventory/adjustments", { facilityId: facility, reasonCode: "found", lines: [{ itemId, quantityDelta: 1 }] }, k);
    expect([otherOperation.status, otherOperation.body["code"]]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    // Globex's key of the same name is its own.
    expect((await post(globex, "/v1/items", item(`B-${k}`), k)).status).toBe(201);
  });

  it("releases the key when the answer is not a success, and forgets keys after 24 hours of the sandbox clock", async () => {
    const k = key();
    expect((await post(acme, "/v1/items", { ...item(`C-${k}`), baseUomCode: "NOPE" }, k)).status).toBe(400); // an unknown UOM: a business rule
    expect((await post(acme, "/v1/items", item(`C-${k}`), k)).status).toBe(201);
    expect((await post(acme, "/v1/items", item(`D-${k}`), k)).status).toBe(422);
    sandbox.clock.advance(24 * 3600_000 + 1);
    try {
      const ims = sandbox.apis.ims.control;
      const fresh = await post(await ims.issueToken({ tenantId: ims.tenants.acme.id }), "/v1/items", item(`D-${k}`), k);
      expect(fresh.status).toBe(201);
      expect(fresh.headers.get("idempotent-replayed")).toBeNull();
    } finally {
      sandbox.clock.reset();
    }
  });

  it("answers in each API's own codes: EUDR's 409 CONFLICT says why", async () => {
    const eudr = sandbox.apis.eudr.control;
    const token = eudr.seeded.tokens.acme.token;
    const k = key();
    const create = (name: string) => call(eudr.baseUrl, "/suppliers", { token, method: "POST", body: { name, country: "GH" }, headers: { "Idempotency-Key": k } });
    expect((await create("First")).status).toBe(201);
    const reused = await create("Second");
    expect([reused.status, reused.body["code"], reused.body["details"]]).toEqual([409, "CONFLICT", { reason: "IDEMPOTENCY_KEY_REUSED" }]);
    const tooLong = await call(eudr.baseUrl, "/suppliers", { token, method: "POST", body: { name: "X", country: "GH" }, headers: { "Idempotency-Key": "k".repeat(256) } });
    expect([tooLong.status, tooLong.body["code"]]).toEqual([400, "VALIDATION_ERROR"]);
  });
});
