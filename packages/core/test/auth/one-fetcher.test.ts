/**
 * One injected fetcher, in the seed's shape, serves a client's API calls and its credential's
 * token requests: both hand it a string URL, plain-object headers and a buffered body.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientCredentials } from "../../src/auth/client-credentials.js";
import { createClient, type Fetcher } from "../../src/index.js";
import { descriptor, type paths } from "../pipeline/fixtures/paths.js";
import { createSigner, startApiServer, startAuthServer, type ApiServer, type AuthServer } from "./support/servers.js";

let auth: AuthServer;
let api: ApiServer;
beforeAll(async () => {
  const signer = await createSigner();
  auth = await startAuthServer({ signer, clients: { cli: { secret: "s3cret-cli-0123456789" } } });
  api = await startApiServer({ signer });
});
afterAll(async () => {
  await Promise.all([auth.close(), api.close()]);
});

describe("one fetcher for API calls and token requests", () => {
  it("the seed's fetcher sends both, always with plain-object headers and a string or byte body", async () => {
    const seen: { url: string; headersArePlain: boolean; bodyType: string }[] = [];
    const fetcher: Fetcher = (url, init) => {
      seen.push({ url, headersArePlain: Object.getPrototypeOf(init.headers) === Object.prototype, bodyType: typeof init.body });
      return fetch(url, { ...init, headers: { ...init?.headers } });
    };
    const credential = clientCredentials({ tokenUrl: auth.tokenUrl, clientId: "cli", clientSecret: "s3cret-cli-0123456789", fetcher });
    const client = createClient<paths>(descriptor, { baseUrl: api.url, auth: credential, fetcher });
    const { error } = await client.GET("/v1/items");
    expect(error?.code ?? "ok").not.toMatch(/TOKEN|NETWORK/);
    expect(seen.map((call) => call.url)).toEqual([auth.tokenUrl, `${api.url}/v1/items`]);
    expect(seen.every((call) => call.headersArePlain)).toBe(true);
    expect(seen[0]?.bodyType).toBe("string");
    expect(auth.requests).toHaveLength(1);
    expect(api.received.at(-1)).toMatchObject({ path: "/v1/items", scheme: "bearer" });
  });
});
