/**
 * One injected fetcher, in the seed's shape, serves a client's API calls and its credential's
 * discovery and token requests: each hands it a string URL, plain-object headers and a buffered body.
 */
import { describe, expect, it } from "vitest";
import { clientCredentials, type ApiDescriptor, type Fetcher } from "../../src/index.js";
import { clientFor, ims } from "../support/apis.js";
import { useLoopbackFixtures } from "./support/servers.js";

const f = useLoopbackFixtures();

function seedFetcher() {
  const seen: { url: string; method: string | undefined; headersArePlain: boolean; bodyType: string }[] = [];
  const fetcher: Fetcher = (url, init) => {
    seen.push({ url, method: init.method, headersArePlain: Object.getPrototypeOf(init.headers) === Object.prototype, bodyType: typeof init.body });
    return fetch(url, { ...(init as RequestInit), headers: { ...init?.headers } });
  };
  return { fetcher, seen };
}

describe("one fetcher for API calls and token requests", () => {
  it("the seed's fetcher sends both, always with plain-object headers and a string body", async () => {
    const auth = await f.auth({ clients: { cli: { secret: "s3cret-cli-0123456789" } } });
    const api = await f.api();
    const { fetcher, seen } = seedFetcher();
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli", clientSecret: "s3cret-cli-0123456789", fetcher, clock: f.clock });
    const { data, error } = await clientFor(ims, { baseUrl: api.url, auth: credential, fetcher }).GET("/v1/items");
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ via: "jwt" });
    expect(seen.map((call) => [call.method, call.url])).toEqual([
      ["POST", auth.tokenUrl],
      ["GET", `${api.url}/v1/items`],
    ]);
    expect(seen.every((call) => call.headersArePlain)).toBe(true);
    expect(seen[0]?.bodyType).toBe("string");
    expect(auth.requests).toHaveLength(1);
    expect(api.requests.at(-1)).toMatchObject({ path: "/v1/items", scheme: "bearer" });
  });

  it("and the OpenID Connect discovery request too", async () => {
    const auth = await f.auth({ clients: { cli: { secret: "s3cret-cli-0123456789" } } });
    const api = await f.api();
    const { fetcher, seen } = seedFetcher();
    const spec: ApiDescriptor = { ...ims, securitySchemes: { bearerAuth: { type: "openIdConnect", url: auth.discoveryUrl } } };
    const credential = clientCredentials({ clientId: "cli", clientSecret: "s3cret-cli-0123456789", fetcher, clock: f.clock });
    expect((await clientFor(spec, { baseUrl: api.url, auth: credential, fetcher }).GET("/v1/items")).data).toMatchObject({ via: "jwt" });
    expect(seen.map((call) => [call.method, call.url])).toEqual([
      ["GET", auth.discoveryUrl],
      ["POST", auth.tokenUrl],
      ["GET", `${api.url}/v1/items`],
    ]);
    expect(seen.every((call) => call.headersArePlain)).toBe(true);
  });
});
