import { describe, expectTypeOf, test } from "vitest";
import { createEudrApiClient, type components } from "@nentropy/api-client";
import type { ServerSentEvent } from "@portico/core";

describe("EUDR client stream types", () => {
  test("the event type of a stream comes from the spec's item schema", () => {
    const eudr = createEudrApiClient();
    const stream = eudr.stream("GET /sync/logs/stream", { lastEventId: "3" });
    expectTypeOf(stream).toExtend<AsyncIterable<ServerSentEvent<components["schemas"]["SyncLogEntry"]>>>();
  });

  test("a non-streaming operation does not compile", () => {
    const eudr = createEudrApiClient();
    // @ts-expect-error GET /suppliers is not a streaming operation
    eudr.stream("GET /suppliers");
  });
});
