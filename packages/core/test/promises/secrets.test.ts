/**
 * Issue 12, secrets: what a user can print (an error, its cause, a hook event, a cloned or
 * inspected value) never holds a secret the client sent or holds, however the server or a
 * fetcher echoes it, and however many tenants the process serves.
 */
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { ApiError, apiKey, bearerToken, clientCredentials, createTenantPool, type PorticoError, type RequestEvent } from "../../src/index.js";
import { clientFor, plain, PRODUCTION, shop } from "../support/apis.js";
import { forwardTo, json, useLoopbacks } from "../support/loopback.js";

const { server } = useLoopbacks();

/** A secret made of letters only, so no generic pattern (JWT, key shapes) would catch it: only redaction of what the client holds does. */
function letters(seed: string, length = 32): string {
  let out = "";
  let n = 0;
  for (const ch of seed) n = (n * 31 + ch.charCodeAt(0)) >>> 0;
  while (out.length < length) {
    n = (n * 1103515245 + 12345) >>> 0;
    out += String.fromCharCode(97 + ((n >>> 16) % 26));
  }
  return out;
}

/** Every way a user prints a value: string, JSON, inspect (also with hidden fields and getters), a structured clone, the stack. */
function printed(value: unknown): string {
  const views: string[] = [];
  const add = (view: () => unknown): void => {
    try {
      views.push(String(view()));
    } catch (error) {
      views.push(String(error));
    }
  };
  add(() => String(value));
  add(() => JSON.stringify(value));
  add(() => inspect(value));
  add(() => inspect(value, { depth: Infinity, showHidden: true, getters: true }));
  add(() => inspect(structuredClone(value), { depth: Infinity, showHidden: true }));
  if (value instanceof Error) {
    add(() => value.stack);
    add(() => inspect(value.cause, { depth: Infinity, showHidden: true, getters: true }));
    add(() => JSON.stringify(value.cause));
  }
  return views.join("\n");
}

describe("secrets never reach what a user prints", () => {
  test("an error thrown by the user's fetcher (axios-style, carrying the request headers) never keeps the API key: not in the error, its cause, its stack, inspected or cloned", async () => {
    const key = letters("item-1");
    const api = await server((req) => void req.socket.destroy()); // the connection is reset: no response
    const axiosLike = async (url: string, init: RequestInit): Promise<Response> => {
      try {
        return await forwardTo(api)(url, init);
      } catch (cause) {
        // What axios and got throw: the request config, headers included, and the key in the message.
        throw Object.assign(new Error(`Request to ${url} failed for key ${key}`), {
          code: "ECONNRESET",
          config: { url, method: init.method, headers: init.headers },
          request: { _header: `GET /v1/items HTTP/1.1\r\nx-api-key: ${key}\r\n` },
          cause,
        });
      }
    };
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(key), fetcher: axiosLike });

    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("NETWORK_ERROR");
    expect(api.requests[0]?.headers["x-api-key"]).toBe(key); // it was sent, to the API only
    expect(printed(error)).not.toContain(key);
  });

  test("an onRequest hook that keeps its event and reads it after the call never sees the credential", async () => {
    const key = letters("item-2");
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const kept: RequestEvent[] = [];
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(key), fetcher: forwardTo(api), hooks: { onRequest: (event) => void kept.push(event) } });

    const { data } = await client.GET("/v1/items");

    expect(data).toEqual({ ok: true });
    expect(api.requests[0]?.headers["x-api-key"]).toBe(key);
    expect(kept).toHaveLength(1);
    // A buffered logger prints the event later: by then the request has gone out.
    expect(printed(kept)).not.toContain(key);
    expect(Object.keys(kept[0]?.headers ?? {})).not.toContain("x-api-key");
  });

  test("a tenant's token echoed by a 500 stays redacted in message, bodyExcerpt and JSON when the process holds 600 tenants", async () => {
    const secretOf = (tenant: string) => letters(`tenant-${tenant}`);
    const api = await server((req, res) => json(res, 500, { message: `internal error while checking key ${String(req.headers["x-api-key"])}` }));
    const pool = createTenantPool({ max: 1000, create: (tenant) => clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(secretOf(tenant)), fetcher: forwardTo(api) }) });
    for (let i = 1; i <= 600; i++) pool.get(`t${i}`);

    const { error } = await pool.get("t1").GET("/v1/items");

    expect(api.requests).toHaveLength(1);
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(error?.details["bodyExcerpt"]).toContain("internal error while checking key");
    for (const text of [error?.message ?? "", String(error?.details["bodyExcerpt"]), JSON.stringify(error), printed(error)]) {
      expect(text).not.toContain(letters("tenant-t1"));
    }
  });

  test("console.log of an ApiError never prints the secret the server echoed in its body, which stays readable as error.body", async () => {
    const key = letters("item-7");
    const api = await server((req, res) => json(res, 400, { code: "KEY_REVOKED", message: "this key was revoked", key: req.headers["x-api-key"] }));
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: apiKey(key), fetcher: forwardTo(api) });

    const { error } = await client.GET("/v1/keys/current");

    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("KEY_REVOKED");
    expect((error as ApiError<{ key: string }>).body.key).toBe(key); // read explicitly, it is there
    expect(printed(error)).not.toContain(letters("item-7"));
  });

  test("a client secret echoed percent- or form-encoded in the token endpoint's error_description is redacted", async () => {
    const clientSecret = `cs live/${letters("item-16", 20)}+&=é`;
    const forms = [encodeURIComponent(clientSecret), new URLSearchParams([["s", clientSecret]]).toString().slice(2)];
    const auth = await server((_req, res) =>
      json(res, 401, { error: "invalid_client", error_description: `client authentication failed for secret ${forms[0]} (form: ${forms[1]})` }),
    );
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const client = clientFor(shop, {
      baseUrl: PRODUCTION,
      auth: clientCredentials({ tokenUrl: `${auth.url}/oauth/token`, clientId: "shop-client", clientSecret }),
      fetcher: forwardTo(api),
    });

    const { error } = await client.GET("/v1/items");

    expect(auth.requests).toHaveLength(1);
    expect(api.requests).toHaveLength(0);
    expect(error?.message).toContain("invalid_client");
    const text = printed(error) + printed((error as PorticoError | undefined)?.details);
    for (const form of [clientSecret, ...forms, letters("item-16", 20)]) expect(text).not.toContain(form);
  });

  test("a bearerToken function whose error names the token it returned before never puts that token in the error's cause", async () => {
    const token = letters("item-1-previous");
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    let calls = 0;
    const credential = bearerToken(() => {
      calls += 1;
      if (calls === 1) return token;
      throw new Error(`vault: the lease of ${token} expired; renew ${token}`);
    });
    const client = clientFor(plain, { baseUrl: PRODUCTION, auth: credential, fetcher: forwardTo(api) });

    expect((await client.GET("/v1/items")).data).toEqual({ ok: true });
    const { error } = await client.GET("/v1/items");

    expect(error?.code).toBe("TOKEN_REFRESH_FAILED");
    expect(printed(error)).not.toContain(token);
  });

  test("a client secret sent with client_secret_basic and echoed by the token endpoint as the header it got is redacted", async () => {
    const clientSecret = `cs live/${letters("item-16-basic", 20)}+&=é`;
    const auth = await server((req, res) =>
      json(res, 401, { error: "invalid_client", error_description: `bad credentials in ${String(req.headers.authorization)} (${String(req.headers.authorization).slice(6)})` }),
    );
    const api = await server((_req, res) => json(res, 200, { ok: true }));
    const credential = clientCredentials({ tokenUrl: `${auth.url}/oauth/token`, clientId: "shop-client", clientSecret, clientAuthentication: "client_secret_basic" });
    const client = clientFor(shop, { baseUrl: PRODUCTION, auth: credential, fetcher: forwardTo(api) });

    const { error } = await client.GET("/v1/items");

    const basic = String(auth.requests[0]?.headers.authorization).slice("Basic ".length);
    expect(basic.length).toBeGreaterThan(20);
    expect(error?.message).toContain("invalid_client");
    expect(printed(error)).not.toContain(basic);
    expect(printed(error)).not.toContain(basic.slice(0, 24));
  });
});
