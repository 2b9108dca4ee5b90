import { bearerToken, type CallErrorCode, type PaginatingClient, type PorticoClient, type ResponseMeta } from "@portico/core";
import { describe, expectTypeOf, it } from "vitest";
import { createImsApiClient, type components, type ImsApiClient, type ImsApiPaths, type ImsPaginatedOperations, type paths } from "@atrope-ai/api-client";

const ims = createImsApiClient({ baseUrl: "https://api.atrope.dev", auth: bearerToken("token") });

describe("@atrope-ai/api-client types", () => {
  it("types paths, params and bodies from specs/ims.yaml", async () => {
    const { data } = await ims.GET("/v1/items/{itemId}", { params: { path: { itemId: "6f1c2b9e" } } });
    expectTypeOf(data).toEqualTypeOf<components["schemas"]["Item"] | undefined>();
    await ims.POST("/v1/items", { body: { sku: "WIDGET-BLUE-M", name: "Blue widget", baseUomCode: "EA" } });

    // @ts-expect-error a path the spec does not have
    await ims.GET("/v1/itemz");
    // @ts-expect-error a query parameter of the wrong type
    await ims.GET("/v1/items", { params: { query: { limit: "ten" } } });
    // @ts-expect-error a missing required path parameter
    await ims.GET("/v1/items/{itemId}", { params: { path: {} } });
    // @ts-expect-error a body with the wrong shape (sku must be a string)
    await ims.POST("/v1/items", { body: { sku: 42, name: "Blue widget", baseUomCode: "EA" } });
  });

  it("types error.code as the operation's spec codes plus the SDK's", async () => {
    const { error } = await ims.GET("/v1/items/{itemId}", { params: { path: { itemId: "x" } } });
    if (error) {
      expectTypeOf<"NOT_FOUND" | "TOKEN_EXPIRED" | "INSUFFICIENT_PERMISSIONS" | CallErrorCode>().toExtend<typeof error.code>();
      expectTypeOf(error.code).toExtend<string>();
      // @ts-expect-error a code this operation does not declare (POST /v1/items only)
      if (error.code === "SKU_ALREADY_EXISTS") return;
    }
  });

  it("narrows results to the success branch with throwOnError: true", async () => {
    const throwing = createImsApiClient({ baseUrl: "https://api.atrope.dev", auth: bearerToken("token"), throwOnError: true });
    expectTypeOf(throwing).toEqualTypeOf<ImsApiClient<"bearer", true>>();
    const { data, error } = await throwing.GET("/v1/items/{itemId}", { params: { path: { itemId: "6f1c2b9e" } } });
    expectTypeOf(data).toEqualTypeOf<components["schemas"]["Item"]>();
    expectTypeOf(error).toEqualTypeOf<undefined>();
    const flag: boolean = process.env["THROW"] === "1";
    const maybe = createImsApiClient({ auth: bearerToken("token"), throwOnError: flag });
    const result = await maybe.GET("/v1/items/{itemId}", { params: { path: { itemId: "6f1c2b9e" } } });
    expectTypeOf(result.data).toEqualTypeOf<components["schemas"]["Item"] | undefined>();
  });

  it("is typed over `paths` itself: no IMS operation is restricted to some credential kinds", () => {
    expectTypeOf<ImsApiPaths>().toEqualTypeOf<paths>();
    expectTypeOf<ImsApiPaths<"bearer">>().toEqualTypeOf<paths>();
    expectTypeOf(ims).toEqualTypeOf<ImsApiClient>();
    expectTypeOf<ImsApiClient>().toEqualTypeOf<PorticoClient<paths> & PaginatingClient<paths, ImsPaginatedOperations>>();
  });

  it("paginate: items and pages typed from the spec; only list operations", async () => {
    const list = ims.paginate("GET /v1/items", { params: { query: { limit: 50, status: "active" } }, maxItems: 100 });
    for await (const item of list) expectTypeOf(item).toEqualTypeOf<components["schemas"]["Item"]>();
    for await (const page of list.pages()) {
      expectTypeOf(page.items).toEqualTypeOf<readonly components["schemas"]["Item"][]>();
      expectTypeOf(page.data).toEqualTypeOf<components["schemas"]["ItemPage"]>();
      expectTypeOf(page.meta).toEqualTypeOf<ResponseMeta>();
    }
    for await (const entry of ims.paginate("GET /v1/inventory/ledger")) expectTypeOf(entry).toEqualTypeOf<components["schemas"]["LedgerEntry"]>();

    // @ts-expect-error a single item is not a list operation
    ims.paginate("GET /v1/items/{itemId}", { params: { path: { itemId: "x" } } });
    // @ts-expect-error POST /v1/items creates; it is not a list
    ims.paginate("POST /v1/items");
    // @ts-expect-error a query parameter of the wrong type
    ims.paginate("GET /v1/items", { params: { query: { limit: "fifty" } } });
  });
});
