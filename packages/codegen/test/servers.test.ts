import { describe, expect, it } from "vitest";
import { generateFromSource, readApiModel } from "../src/index.js";
import { fileOf, plainSpecText } from "./support/spec.js";

const withServers = (servers: unknown[]) => plainSpecText({ servers, paths: { "/status": { get: { responses: { "200": { description: "OK." } } } } } });

describe("servers (given server objects, want descriptors: templates kept, never filled)", () => {
  const cases: { name: string; given: unknown[]; want: unknown[] }[] = [
    { name: "a plain URL", given: [{ url: "https://api.test/v1" }], want: [{ url: "https://api.test/v1" }] },
    {
      name: "a placeholder host with no enum has no usable default (Algolia's app id)",
      given: [{ url: "https://{appId}.algolia.net", variables: { appId: { default: "ALGOLIA_APPLICATION_ID" } } }],
      want: [{ url: "https://{appId}.algolia.net", variables: { appId: { default: "ALGOLIA_APPLICATION_ID" } } }],
    },
    {
      name: "a host variable with an enum is a real choice: its default is usable",
      given: [{ url: "https://{region}.api.test", variables: { region: { default: "us", enum: ["us", "eu"] } } }],
      want: [{ url: "https://{region}.api.test", variables: { region: { default: "us", enum: ["us", "eu"], defaultUsable: true } } }],
    },
    {
      name: "variables in the scheme, port and path are usable",
      given: [
        {
          url: "{scheme}://api.test:{port}/{version}",
          variables: { scheme: { default: "https" }, port: { default: "443" }, version: { default: "v2" } },
        },
      ],
      want: [
        {
          url: "{scheme}://api.test:{port}/{version}",
          variables: {
            scheme: { default: "https", defaultUsable: true },
            port: { default: "443", defaultUsable: true },
            version: { default: "v2", defaultUsable: true },
          },
        },
      ],
    },
    {
      name: "a placeholder in part of the host name is not usable",
      given: [{ url: "https://api-{env}.test:8443", variables: { env: { default: "ENVIRONMENT" } } }],
      want: [{ url: "https://api-{env}.test:8443", variables: { env: { default: "ENVIRONMENT" } } }],
    },
    {
      name: "a whole-URL variable",
      given: [{ url: "{server}/api", variables: { server: { default: "https://example.test" } } }],
      want: [{ url: "{server}/api", variables: { server: { default: "https://example.test" } } }],
    },
    {
      name: "a relative URL and an environment",
      given: [{ url: "/v3/{tenant}", "x-portico-environment": "production", variables: { tenant: { default: "acme" } } }],
      want: [{ url: "/v3/{tenant}", environment: "production", variables: { tenant: { default: "acme", defaultUsable: true } } }],
    },
  ];

  it.each(cases)("$name", ({ given, want }) => {
    expect(readApiModel(withServers(given)).servers).toEqual(want);
  });
});

describe("<Name>ServerVariables", () => {
  it("types the first server's variables for the serverVariables option", async () => {
    const module = await generateFromSource(
      withServers([
        { url: "https://{appId}-{region}.api.test", variables: { appId: { default: "APP_ID" }, region: { default: "us", enum: ["us", "eu"] } } },
        { url: "https://{other}.test", variables: { other: { default: "x" } } },
      ]),
    );
    const client = fileOf(module, "client.ts");
    expect(client).toContain('export type PlainServerVariables = { appId?: string; region?: "us" | "eu" };');
    // The example never shows a placeholder host as a base URL.
    expect(client).toContain(" * const client = createPlainApiClient({ fetcher });");
    expect(fileOf(module, "index.ts")).toContain("PlainServerVariables } from \"./client.js\";");
  });

  it("is Record<never, never> when the first server has no variables, or there is no server", async () => {
    for (const servers of [[{ url: "https://api.test" }], []]) {
      const client = fileOf(await generateFromSource(withServers(servers)), "client.ts");
      expect(client).toContain("export type PlainServerVariables = Record<never, never>;");
    }
  });

  it("quotes variable names that are not identifiers", async () => {
    const client = fileOf(await generateFromSource(withServers([{ url: "https://{app-id}.test", variables: { "app-id": { default: "x" } } }])), "client.ts");
    expect(client).toContain('export type PlainServerVariables = { "app-id"?: string };');
  });
});
