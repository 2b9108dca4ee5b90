/**
 * The stages a generated client passes to `createClient`: only those its spec uses (given a spec,
 * want the stage list printed in `client.ts`), so an app's bundle carries nothing else.
 */
import { describe, expect, it } from "vitest";
import { generatedFiles, plainSpecText } from "./support/spec.js";

const ok = { "200": { description: "OK." } };
const withHeaders = (...names: string[]) => ({
  "200": { description: "OK.", headers: Object.fromEntries(names.map((name) => [name, { schema: { type: "integer" } }])) },
});
const body = (mediaType: string) => ({ requestBody: { content: { [mediaType]: { schema: { type: "object", properties: { a: { type: "string" } } } } } }, responses: ok });

/** The stage names in the generated `client.ts`, in order. */
async function stagesOf(fragment: Record<string, unknown>): Promise<string[]> {
  const client = (await generatedFiles(plainSpecText(fragment)))["client.ts"] ?? "";
  const list = /const stages: readonly Stage\[\] = \[([\s\S]*?)\];/.exec(client)?.[1] ?? "";
  return [...list.matchAll(/^\s+(\w+Stage),/gm)].map((match) => match[1] as string);
}

describe("stages a generated client opts into (given a spec, want its stages)", () => {
  const cases: { name: string; given: Record<string, unknown>; want: string[] }[] = [
    { name: "a plain JSON API: none", given: { paths: { "/a": { get: { responses: ok } } } }, want: [] },
    { name: "credit headers: credits", given: { paths: { "/a": { get: { responses: withHeaders("X-Credits-Remaining") } } } }, want: ["creditsStage"] },
    { name: "X-RateLimit-* headers: the triplets", given: { paths: { "/a": { get: { responses: withHeaders("X-RateLimit-Remaining") } } } }, want: ["rateLimitStage"] },
    { name: "a 429 alone: the triplets", given: { paths: { "/a": { get: { responses: { ...ok, "429": { description: "Slow down." } } } } } }, want: ["rateLimitStage"] },
    {
      name: "IETF RateLimit fields: the IETF stage, not both",
      given: { paths: { "/a": { get: { responses: { ...withHeaders("RateLimit", "X-RateLimit-Limit"), "429": { description: "Slow down." } } } } } },
      want: ["ietfRateLimitStage"],
    },
    {
      name: "scopes on a requirement: scopes",
      given: {
        components: { securitySchemes: { oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://auth.test/token", scopes: { read: "Read." } } } } } },
        paths: { "/a": { get: { security: [{ oauth: ["read"] }], responses: ok } } },
      },
      want: ["scopesStage"],
    },
    {
      name: "a requirement without scopes: no scopes stage",
      given: {
        components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
        security: [{ bearer: [] }],
        paths: { "/a": { get: { responses: ok } } },
      },
      want: [],
    },
    { name: "a form body: form", given: { paths: { "/a": { post: body("application/x-www-form-urlencoded") } } }, want: ["formBodyStage"] },
    { name: "a multipart body: multipart", given: { paths: { "/a": { post: body("multipart/form-data") } } }, want: ["multipartBodyStage"] },
    {
      name: "server variables: server variables",
      given: { servers: [{ url: "https://{region}.api.test", variables: { region: { default: "eu", enum: ["eu", "us"] } } }], paths: { "/a": { get: { responses: ok } } } },
      want: ["serverVariablesStage"],
    },
  ];
  it.each(cases)("$name", async ({ given, want }) => {
    expect(await stagesOf(given)).toEqual(want);
  });
});
