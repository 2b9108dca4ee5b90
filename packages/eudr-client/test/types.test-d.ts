import { bearerToken, type CallErrorCode } from "@portico/core";
import { describe, expectTypeOf, it } from "vitest";
import { createEudrApiClient, type components } from "@nentropy/api-client";

const eudr = createEudrApiClient({ auth: bearerToken(`eudr_live_${"0".repeat(48)}`) });

/** The codes `GET /suppliers` declares: EUDR's authentication table plus validation and rate limiting. */
type ListSuppliersCode =
  | "VALIDATION_ERROR"
  | "AUTHENTICATION_REQUIRED"
  | "INVALID_TOKEN_FORMAT"
  | "INVALID_TOKEN"
  | "TOKEN_REVOKED"
  | "TOKEN_EXPIRED"
  | "INTEGRATION_INACTIVE"
  | "INSUFFICIENT_SCOPES"
  | "RATE_LIMITED";

describe("@nentropy/api-client types", () => {
  it("types paths, params and bodies from specs/eudr.yaml", async () => {
    const { data } = await eudr.POST("/suppliers", { body: { name: "Finca Verde", country: "CO" } });
    expectTypeOf(data).toEqualTypeOf<components["schemas"]["Supplier"] | undefined>();

    // @ts-expect-error a path the spec does not have
    await eudr.GET("/supplierz");
    // @ts-expect-error a query parameter of the wrong type
    await eudr.GET("/suppliers", { params: { query: { limit: "ten" } } });
    // @ts-expect-error a missing required path parameter
    await eudr.GET("/suppliers/{supplierId}");
    // @ts-expect-error a body with the wrong shape (name must be a string)
    await eudr.POST("/suppliers", { body: { name: 42, country: "CO" } });
  });

  it("types error.code as the union of EUDR's codes and the SDK's", async () => {
    const { error } = await eudr.GET("/suppliers");
    if (error) {
      expectTypeOf(error.code).toEqualTypeOf<ListSuppliersCode | CallErrorCode>();
      switch (error.code) {
        case "TOKEN_REVOKED":
        case "TOKEN_EXPIRED":
          expectTypeOf(error.code).toEqualTypeOf<"TOKEN_REVOKED" | "TOKEN_EXPIRED">();
          break;
        case "NETWORK_ERROR":
          expectTypeOf(error.code).toEqualTypeOf<"NETWORK_ERROR">();
          break;
      }
      // @ts-expect-error not a code of this operation nor of the SDK
      if (error.code === "NOT_A_CODE") return;
    }
  });
});
