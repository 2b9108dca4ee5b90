/**
 * What the types of `@portico/core/testing` promise, against the generated IMS client's `paths`:
 * route keys are the spec's operations, bodies and statuses are the declared ones, handlers get
 * typed params, query and body, and recorded calls carry the operation's request body type.
 */
import { describe, expectTypeOf, test } from "vitest";
import { createImsApiClient, type components, type paths } from "../../../ims-client/src/index.js";
import type { Fetcher } from "../../src/index.js";
import { fakeFetcher, networkError, recordingFetcher, type FakeFetcher, type RecordedCall, type RouteKey } from "../../src/testing.js";

type Item = components["schemas"]["Item"];
declare const item: Item;

describe("fakeFetcher<paths>", () => {
  test("route keys are the operations of the spec", () => {
    expectTypeOf<"GET /v1/items/{itemId}">().toExtend<RouteKey<paths>>();
    expectTypeOf<"PATCH /v1/items/{itemId}">().toExtend<RouteKey<paths>>();
    expectTypeOf<"DELETE /v1/items/{itemId}">().not.toExtend<RouteKey<paths>>(); // not declared
    expectTypeOf<"GET /v1/nope">().not.toExtend<RouteKey<paths>>();

    fakeFetcher<paths>({
      "GET /v1/items/{itemId}": { status: 200, body: item },
      // @ts-expect-error unknown route key
      "GET /v1/itemz/{itemId}": { status: 200, body: item },
    });
    fakeFetcher<paths>({
      // @ts-expect-error a method the path does not declare
      "DELETE /v1/items/{itemId}": { status: 204 },
    });
  });

  test("bodies and statuses are the declared ones", () => {
    fakeFetcher<paths>({
      "GET /v1/items/{itemId}": [
        { status: 503 }, // transient, undeclared: allowed without a body
        { status: 404, body: { code: "NOT_FOUND", message: "gone" } },
        { status: 200, body: item, headers: { "x-request-id": "r" } },
      ],
    });
    fakeFetcher<paths>({
      // @ts-expect-error wrong body type for 200 (an Item has no `title`, and needs `sku`)
      "GET /v1/items/{itemId}": { status: 200, body: { id: "x", title: "bolt" } },
    });
    fakeFetcher<paths>({
      // @ts-expect-error a property of the wrong type
      "GET /v1/items/{itemId}": { status: 200, body: { ...item, status: "archived" } },
    });
    fakeFetcher<paths>({
      // @ts-expect-error the code is not one the spec declares for 404
      "GET /v1/items/{itemId}": { status: 404, body: { code: "GONE", message: "gone" } },
    });
    fakeFetcher<paths>({
      // @ts-expect-error a status the operation does not declare (and not a transient one)
      "GET /v1/items/{itemId}": { status: 418, body: item },
    });
    fakeFetcher<paths>({
      // @ts-expect-error a declared status without its declared body
      "GET /v1/items/{itemId}": { status: 200 },
    });
  });

  test("handlers get typed params, query and body, and must return a declared reply", () => {
    fakeFetcher<paths>({
      "GET /v1/items/{itemId}": ({ params, call }) => {
        expectTypeOf(params.itemId).toEqualTypeOf<string>();
        expectTypeOf(call).toEqualTypeOf<number>();
        return { status: 200, body: { ...item, id: params.itemId } };
      },
      "GET /v1/items": ({ query }) => {
        expectTypeOf(query.limit).toEqualTypeOf<string | undefined>();
        return { status: 200, body: { data: [item], nextCursor: null, hasMore: false } };
      },
      "POST /v1/items": async ({ body }) => {
        expectTypeOf(body).toEqualTypeOf<components["schemas"]["CreateItemRequest"]>();
        return { status: 201, body: { ...item, sku: body.sku } };
      },
      "GET /v1/me": () => new Response("<html>", { status: 502 }),
      "GET /v1/uoms": [networkError(), networkError("reset", "ECONNRESET")],
    });
    fakeFetcher<paths>({
      // @ts-expect-error a path parameter the template does not have
      "GET /v1/items/{itemId}": ({ params }) => ({ status: 200, body: { ...item, id: params.id } }),
    });
    fakeFetcher<paths>({
      // @ts-expect-error the handler returns a wrong body
      "POST /v1/items": ({ body }) => ({ status: 201, body: { sku: body.sku } }),
    });
  });

  test("the fetcher fits a client, and recorded calls carry the operation's body type", () => {
    const fetcher = fakeFetcher<paths>({ "POST /v1/items": { status: 201, body: item } });
    expectTypeOf(fetcher).toExtend<Fetcher>();
    createImsApiClient({ fetcher });
    expectTypeOf(fetcher.callsTo("POST /v1/items")).toEqualTypeOf<readonly RecordedCall<components["schemas"]["CreateItemRequest"]>[]>();
    expectTypeOf(fetcher.callsTo("GET /v1/items/{itemId}")[0]!.body).toEqualTypeOf<undefined>();
    // @ts-expect-error not a route of the spec
    fetcher.callsTo("POST /v1/nope");
    expectTypeOf(fetcher.calls).toEqualTypeOf<readonly RecordedCall[]>();
    // @ts-expect-error use() is typed like the constructor
    fetcher.use({ "GET /v1/items/{itemId}": { status: 200, body: { id: 1 } } });
    expectTypeOf(recordingFetcher<paths>().callsTo("POST /v1/items")[0]!.body).toEqualTypeOf<components["schemas"]["CreateItemRequest"]>();
  });

  test("without paths, any route key and reply goes", () => {
    const loose: FakeFetcher = fakeFetcher({ "GET /anything/{id}": ({ params }) => ({ status: 299, body: { id: params["id"] } }) });
    expectTypeOf(loose.callsTo("POST /whatever")).toEqualTypeOf<readonly RecordedCall<unknown>[]>();
    // @ts-expect-error still a "METHOD /path" key
    fakeFetcher({ "/v1/items": { status: 200 } });
  });
});
