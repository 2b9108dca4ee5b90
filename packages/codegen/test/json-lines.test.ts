import { describe, expect, it } from "vitest";
import { jsonLineOf } from "../src/spec/json-lines.js";

const text = `{
  "openapi": "3.1.0",
  "info": { "title": "A \\"quoted\\" title", "version": "1" },
  "paths": {
    "/items/{id}": {
      "get": {
        "parameters": [
          { "name": "id", "in": "path" },
          {
            "name": "x\\u002fy",
            "in": "query"
          }
        ],
        "responses": { "200": { "description": "OK", "x": [1, true, null, -2.5e3] } }
      }
    }
  },
  "components": { "schemas": { "a/b": { "type": "string" } } },
  "dup": 1,
  "dup": {
    "z": 2
  }
}
`;

describe("jsonLineOf (line of a JSON pointer in strict JSON text, in one scan)", () => {
  it.each([
    { pointer: ["openapi"], line: 2 },
    { pointer: ["info", "version"], line: 3 },
    { pointer: ["paths", "/items/{id}"], line: 5 },
    { pointer: ["paths", "/items/{id}", "get", "parameters", "0"], line: 8 },
    { pointer: ["paths", "/items/{id}", "get", "parameters", "1"], line: 9 },
    { pointer: ["paths", "/items/{id}", "get", "parameters", "1", "name"], line: 10 },
    { pointer: ["paths", "/items/{id}", "get", "parameters", "1", "in"], line: 11 },
    { pointer: ["paths", "/items/{id}", "get", "responses", "200", "x", "3"], line: 14 },
    { pointer: ["components", "schemas", "a/b", "type"], line: 18 },
    { pointer: ["paths", "/items/{id}", "post"], line: 5, why: "a missing key falls back to its nearest ancestor" },
    { pointer: ["dup", "z"], line: 21, why: "the last of duplicate keys wins, as in JSON.parse" },
    { pointer: ["nope"], line: undefined },
  ])("$pointer → line $line", ({ pointer, line }) => {
    expect(jsonLineOf(text, pointer)).toBe(line);
  });

  it("reads an escaped key as its value", () => {
    expect(jsonLineOf('{\n"a\\/b": {\n"c": 1 } }', ["a/b", "c"])).toBe(3);
  });
});
