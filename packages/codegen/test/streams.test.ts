/**
 * Streaming operations (given a spec, want the generated descriptor entry and item type): OpenAPI
 * 3.2's `itemSchema` (for SSE, the event's `data` content schema), `x-portico-item-schema` on
 * 3.0/3.1, JSON Lines; a JSON operation is not a stream.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generatedFiles } from "./support/spec.js";

const tick = { type: "object", required: ["n"], properties: { n: { type: "integer" } } };
const spec = (openapi: string, content: Record<string, unknown>) =>
  stringify({
    openapi,
    info: { title: "Events API", version: "1.0.0" },
    servers: [{ url: "https://api.events.test" }],
    paths: { "/events": { get: { responses: { "200": { description: "Events.", content } } } }, "/ticks": { get: { responses: { "200": { description: "One tick.", content: { "application/json": { schema: { $ref: "#/components/schemas/Tick" } } } } } } } },
    components: { schemas: { Tick: tick } },
  });

describe("streaming operations (given a spec, want the descriptor and the item type)", () => {
  const cases = [
    {
      name: "OpenAPI 3.2 SSE: the event data's contentSchema is the item",
      given: spec("3.2.0", {
        "text/event-stream": {
          itemSchema: { type: "object", required: ["data"], properties: { event: { type: "string" }, data: { type: "string", contentMediaType: "application/json", contentSchema: { $ref: "#/components/schemas/Tick" } } } },
        },
      }),
      descriptor: '"GET /events": { stream: { format: "sse", json: true } }',
      item: '"GET /events": { format: "sse"; item: components["schemas"]["Tick"] }',
    },
    {
      name: "OpenAPI 3.1 SSE: x-portico-item-schema",
      given: spec("3.1.0", { "text/event-stream": { schema: { type: "string" }, "x-portico-item-schema": { $ref: "#/components/schemas/Tick" } } }),
      descriptor: '"GET /events": { stream: { format: "sse", json: true } }',
      item: '"GET /events": { format: "sse"; item: components["schemas"]["Tick"] }',
    },
    {
      name: "OpenAPI 3.2 JSON Lines: itemSchema",
      given: spec("3.2.0", { "application/jsonl": { itemSchema: { $ref: "#/components/schemas/Tick" } } }),
      descriptor: '"GET /events": { stream: { format: "jsonl" } }',
      item: '"GET /events": { format: "jsonl"; item: components["schemas"]["Tick"] }',
    },
  ];
  it.each(cases)("$name", async ({ given, descriptor, item }) => {
    const files = await generatedFiles(given);
    expect(files["descriptor.ts"]).toContain(descriptor);
    expect(files["client.ts"]).toContain(item);
    expect(files["client.ts"]).toContain("streamStage, //");
    // The JSON operation stays an ordinary call.
    expect(files["client.ts"]).not.toContain('"GET /ticks": {');
  });

  it("OpenAPI 4 is refused, naming the versions read", async () => {
    await expect(generatedFiles(spec("4.0.0", { "application/json": { schema: tick } }))).rejects.toThrow(/3\.0\.x, 3\.1\.x and 3\.2\.x/);
  });
});
