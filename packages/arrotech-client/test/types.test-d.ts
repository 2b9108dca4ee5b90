import { bearerToken } from "@portico/core";
import { describe, expectTypeOf, it } from "vitest";
import { createArrotechApiClient, type components } from "@arrotech/api-client";

const hub = createArrotechApiClient({ baseUrl: "https://prod.api.arrotechsolutions.com", auth: bearerToken("key") });

describe("@arrotech/api-client types", () => {
  it("types paths, params and bodies from specs/arrotech.yaml", async () => {
    const { data } = await hub.GET("/chat/providers");
    expectTypeOf(data).not.toBeAny();
    const completion = await hub.POST("/chat/completions", {
      body: { provider: "openai", model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] },
    });
    expectTypeOf(completion.data).toEqualTypeOf<components["schemas"]["ChatCompletion"] | undefined>();

    // @ts-expect-error a path the spec does not have
    await hub.GET("/chat/providerz");
    // @ts-expect-error a missing required path parameter
    await hub.GET("/workflows/{workflowId}", { params: { path: {} } });
    // @ts-expect-error a path parameter of the wrong type
    await hub.GET("/workflows/{workflowId}", { params: { path: { workflowId: 7 } } });
    // @ts-expect-error a body with the wrong shape (messages is an array)
    await hub.POST("/chat/completions", { body: { provider: "openai", model: "gpt-4o", messages: "Hello" } });
  });
});
