import { apiKey, bearerToken, type EventsChannel, type PathsWithMethod } from "@portico/core";
import { describe, expectTypeOf, it } from "vitest";
import { atlasEvents, createAtlasApiClient, type AtlasApiPaths, type AtlasEventMessage, type paths } from "@atlas-softpos/api-client";

const pos = createAtlasApiClient({ baseUrl: "http://192.168.1.20:8080", auth: apiKey(`sk_test_${"a".repeat(24)}`) });

describe("@atlas-softpos/api-client types", () => {
  it("types paths, params and bodies from specs/atlas.yaml", async () => {
    const { data } = await pos.POST("/v1/transaction/sale", { body: { type: "SALE", amount: 2500, currency: "NZD" } });
    expectTypeOf(data).not.toBeAny();
    await pos.GET("/v1/device/health");

    // @ts-expect-error a path the spec does not have
    await pos.GET("/v1/device/wealth");
    // @ts-expect-error a missing required path parameter
    await pos.GET("/v1/transactions/{transactionId}", { params: { path: {} } });
    // @ts-expect-error a path parameter of the wrong type
    await pos.GET("/v1/transactions/{transactionId}", { params: { path: { transactionId: 7 } } });
    // @ts-expect-error a body with the wrong shape (a sale is not a refund)
    await pos.POST("/v1/transaction/sale", { body: { type: "REFUND", amount: 2500, currency: "NZD" } });
  });

  it("keeps every operation for both an API key and a bearer token (either scheme works)", () => {
    expectTypeOf<PathsWithMethod<AtlasApiPaths<"apiKey">, "post">>().toEqualTypeOf<PathsWithMethod<paths, "post">>();
    expectTypeOf<PathsWithMethod<AtlasApiPaths<"bearer">, "get">>().toEqualTypeOf<PathsWithMethod<paths, "get">>();
    const cloud = createAtlasApiClient({ auth: bearerToken("jwt") });
    void cloud.POST("/v1/transaction/sale", { body: { type: "SALE", amount: 2500, currency: "NZD" } });
  });

  it("exports the event stream as a channel of the spec's EventMessage (what connectEvents infers)", () => {
    expectTypeOf(atlasEvents).toEqualTypeOf<EventsChannel<AtlasEventMessage>>();
    expectTypeOf<AtlasEventMessage["type"]>().toEqualTypeOf<"transaction.completed" | "device.status" | "display.updated" | "settlement.completed">();
  });
});
