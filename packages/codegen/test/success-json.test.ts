import { describe, expect, it } from "vitest";
import { readApiModel } from "../src/index.js";
import { plainSpecText } from "./support/spec.js";

const json = { "application/json": { schema: { type: "object" } } };

/** `successJson` of `GET /things`, given its responses. */
const successJsonOf = (responses: Record<string, unknown>) =>
  readApiModel(plainSpecText({ paths: { "/things": { get: { responses } } } })).operations[0]?.successJson;

describe("successJson: every declared success response has a JSON body (given the responses, want the flag)", () => {
  const cases: { name: string; given: Record<string, unknown>; want: boolean }[] = [
    { name: "a 200 with a JSON body", given: { "200": { description: "OK", content: json } }, want: true },
    { name: "a +json body, with an error response beside it", given: { "200": { description: "OK", content: { "application/vnd.api+json; charset=utf-8": {} } }, "404": { description: "gone" } }, want: true },
    { name: "a 2XX range with a JSON body", given: { "2XX": { description: "OK", content: json } }, want: true },
    { name: "a 200 with JSON and a 204 without a body", given: { "200": { description: "OK", content: json }, "204": { description: "none" } }, want: false },
    { name: "a 200 without content", given: { "200": { description: "OK" } }, want: false },
    { name: "a 200 that may also be XML", given: { "200": { description: "OK", content: { ...json, "application/xml": {} } } }, want: false },
    { name: "a text/plain 200", given: { "200": { description: "OK", content: { "text/plain": {} } } }, want: false },
    { name: "only a default response", given: { default: { description: "any", content: json } }, want: false },
    { name: "an event stream", given: { "200": { description: "OK", content: { "text/event-stream": { schema: { type: "string" } } } } }, want: false },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(successJsonOf(given)).toBe(want);
  });
});
