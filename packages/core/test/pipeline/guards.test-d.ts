import { describe, expectTypeOf, test } from "vitest";
import { allStages, createClient, isApiError, isPorticoError, type ApiError, type PorticoError } from "../../src/index.js";
import { descriptor, type components, type paths } from "./fixtures/paths.js";

const client = createClient<paths>(descriptor, { baseUrl: "http://127.0.0.1:1" }, allStages);

describe("error guards", () => {
  test("on an unknown value: PorticoError<string> and ApiError<unknown, string, number>, never any", () => {
    const value: unknown = new Error("x");
    if (isPorticoError(value)) {
      expectTypeOf(value).toEqualTypeOf<PorticoError<string>>();
      expectTypeOf(value.code).toEqualTypeOf<string>();
    }
    if (isApiError(value)) {
      expectTypeOf(value).toEqualTypeOf<ApiError<unknown, string, number>>();
      expectTypeOf(value.body).toEqualTypeOf<unknown>();
      expectTypeOf(value.status).toEqualTypeOf<number>();
    }
  });

  test("on a call's error: the declared errors, with their body and code per status", async () => {
    const { error } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    if (!error) return;
    if (isApiError(error)) {
      expectTypeOf(error.code).not.toBeAny();
      expectTypeOf(error.body).not.toBeAny();
      if (error.status === 404) expectTypeOf(error.body).toEqualTypeOf<components["schemas"]["NotFound"]>();
    } else {
      expectTypeOf(error.code).toExtend<string>();
      expectTypeOf(error).not.toBeAny();
    }
  });

  test("a union of declared and SDK errors narrows to the declared ones, body and code kept", () => {
    type Declared = ApiError<components["schemas"]["NotFound"], "ITEM_NOT_FOUND", 404> | PorticoError<"NETWORK_ERROR">;
    const declared = undefined as unknown as Declared;
    if (isApiError(declared)) {
      expectTypeOf(declared).toEqualTypeOf<ApiError<components["schemas"]["NotFound"], "ITEM_NOT_FOUND", 404>>();
      expectTypeOf(declared.body.code).toEqualTypeOf<"ITEM_NOT_FOUND">();
    }
  });
});
