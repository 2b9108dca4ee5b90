import { bearerToken } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, formPairs } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";

// cases/nested-form.yaml: `POST /v1/customers` takes application/x-www-form-urlencoded with an
// `encoding`: address deepObject (address[line1]=…), tags form+explode (tags=a&tags=b), expand
// form without explode (expand=a,b).
const TOKEN = "case_form_token_1a2b3c4d5e6f";
const ctx = useCorpus("nested-form");

describe("nested form body: encoded as the request body's `encoding` says", () => {
  test("address[line1]=…&address[city]=…&tags=a&tags=b&expand=x,y, content-type application/x-www-form-urlencoded", async () => {
    ctx.recorder.answer({ status: 200, body: { id: "cus_1" } });
    const customers = ctx.client({ auth: bearerToken(TOKEN) });
    const result = await customers.POST("/v1/customers", {
      body: {
        name: "Jenny Rosen & Co",
        address: { line1: "510 Townsend St", city: "San Francisco" },
        tags: ["a", "b"],
        expand: ["x", "y"],
      },
    });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ id: "cus_1" });
    const [request] = ctx.recorder.requests;
    expect(request!.header("content-type")).toEqual(["application/x-www-form-urlencoded"]);
    const pairs: Array<[string, string]> = [
      ["name", "Jenny Rosen & Co"],
      ["address[line1]", "510 Townsend St"],
      ["address[city]", "San Francisco"],
      ["tags", "a"],
      ["tags", "b"],
      ["expand", "x,y"],
    ];
    expect(formPairs(request!)).toEqual(pairs);
    // The exact bytes: the pairs above, in the body's order, form-urlencoded (WHATWG serializer).
    expect(request!.text()).toBe(new URLSearchParams(pairs).toString());
    expect(request!.header("content-length")).toEqual([String(request!.body.length)]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${TOKEN}` }], [TOKEN]);
  });
});
