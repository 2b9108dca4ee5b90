import { describe, expectTypeOf, test } from "vitest";
import {
  createClient,
  type ApiError,
  type ClientOptions,
  type Credential,
  type PathsForKinds,
  type PathsWithMethod,
  type PorticoError,
  type ResponseMeta,
  type CallErrorCode,
  type ClientCredentialsOptions,
  type Fetcher,
  type MediaType,
  type PorticoClient,
  type PorticoResult,
  type RefreshTokenCredentialOptions,
} from "../../src/index.js";
import { descriptor, type paths } from "./fixtures/paths.js";

const client = createClient<paths>(descriptor, { baseUrl: "http://127.0.0.1:1" });

describe("typed methods", () => {
  test("paths, params and bodies are checked", async () => {
    await client.GET("/v1/items");
    await client.GET("/v1/items", { params: { query: { limit: 10 } } });
    await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    await client.POST("/v1/items", { body: { name: "bolt" } });
    await client.POST("/v1/sales", { body: { type: "SALE", amount: 2500, currency: "NZD" }, idempotencyKey: "k" });

    // @ts-expect-error unknown path
    await client.GET("/v1/nope");
    // @ts-expect-error method not declared for this path
    await client.DELETE("/v1/items");
    // @ts-expect-error missing required path param
    await client.GET("/v1/items/{itemId}");
    // @ts-expect-error wrong param type
    await client.GET("/v1/items/{itemId}", { params: { path: { itemId: 1 } } });
    // @ts-expect-error wrong query param type
    await client.GET("/v1/items", { params: { query: { limit: "ten" } } });
    // @ts-expect-error missing required body
    await client.POST("/v1/items");
    // @ts-expect-error wrong body
    await client.POST("/v1/items", { body: { name: 42 } });
    // @ts-expect-error wrong body enum
    await client.POST("/v1/sales", { body: { type: "REFUND", amount: 1, currency: "NZD" } });
  });

  test("data and error are typed", async () => {
    const { data, error, meta } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    expectTypeOf(meta.attempts).toEqualTypeOf<number>();
    if (data) expectTypeOf(data).toEqualTypeOf<{ id: string; name: string; quantity: number }>();
    if (error) {
      switch (error.code) {
        case "AUTHENTICATION_REQUIRED":
        case "INVALID_TOKEN":
        case "TOKEN_EXPIRED":
          expectTypeOf(error).toMatchTypeOf<ApiError>();
          expectTypeOf(error.body.message).toEqualTypeOf<string>();
          break;
        case "ITEM_NOT_FOUND":
          expectTypeOf(error.body.code).toEqualTypeOf<"ITEM_NOT_FOUND">();
          break;
        case "NETWORK_ERROR":
        case "TIMEOUT":
        case "ABORTED":
        case "RATE_LIMITED":
        case "INSUFFICIENT_CREDITS":
        case "TOKEN_REFRESH_FAILED":
        case "TOKEN_RESPONSE_INVALID":
        case "SESSION_EXPIRED":
        case "UNEXPECTED_RESPONSE":
        case "IDEMPOTENCY_KEY_REUSED":
        case "TENANT_MISMATCH":
        case "INSUFFICIENT_SCOPES":
        case "ENVIRONMENT_MISMATCH":
        case "INVALID_TOKEN_FORMAT":
        case "CREDENTIAL_NOT_ALLOWED":
        case "CREDENTIAL_CONFLICT":
        case "INSECURE_TRANSPORT":
        case "INVALID_OPTIONS":
          expectTypeOf(error).toMatchTypeOf<PorticoError>();
          break;
        default: {
          const exhaustive: never = error;
          void exhaustive;
        }
      }
    }
  });

  test("a missing case is flagged", async () => {
    const { error } = await client.GET("/v1/items");
    if (error) {
      switch (error.code) {
        case "AUTHENTICATION_REQUIRED":
        case "INVALID_TOKEN":
        case "TOKEN_EXPIRED":
        case "INSUFFICIENT_SCOPES":
          break;
        default: {
          // @ts-expect-error INTEGRATION_INACTIVE and the SDK codes are not handled
          const exhaustive: never = error.code;
          void exhaustive;
        }
      }
    }
  });
});

describe("results and options", () => {
  test("meta is always there; data is typed by parseAs", async () => {
    const json = await client.GET("/v1/items");
    expectTypeOf(json.meta).toEqualTypeOf<ResponseMeta>();
    expectTypeOf(json.meta.idempotencyKey).toEqualTypeOf<string | undefined>();
    const text = await client.GET("/v1/items", { parseAs: "text" });
    if (text.data !== undefined) expectTypeOf(text.data).toEqualTypeOf<string>();
  });

  test("an unknown server code still yields a typed value (UNEXPECTED_RESPONSE is in the union)", async () => {
    const { error } = await client.POST("/v1/sales", { body: { type: "SALE", amount: 1, currency: "NZD" } });
    if (error) {
      expectTypeOf<"UNEXPECTED_RESPONSE">().toExtend<typeof error.code>();
      expectTypeOf<
        CallErrorCode | "AUTHENTICATION_REQUIRED" | "INVALID_TOKEN" | "TOKEN_EXPIRED" | "IDEMPOTENCY_KEY_IN_USE" | "DUPLICATE_REFERENCE" | "TERMINAL_BUSY"
      >().toEqualTypeOf<typeof error.code>();
    }
  });

  test("ClientOptions<Kinds> accepts only credentials of those kinds", () => {
    const bearer = {} as Credential<"bearer">;
    const key = {} as Credential<"apiKey">;
    expectTypeOf({ auth: key }).toExtend<ClientOptions<"apiKey">>();
    expectTypeOf({ auth: [key, bearer] }).toExtend<ClientOptions<"apiKey" | "bearer">>();
    // @ts-expect-error a bearer credential for a client typed for API keys only
    const wrong: ClientOptions<"apiKey"> = { auth: bearer };
    void wrong;
  });

  test("PathsForKinds drops the operations a credential kind cannot call", () => {
    interface Kinds {
      "/v1/items": { get: "bearer"; post: "bearer" };
      "/v1/sales": { post: "bearer" | "apiKey" };
    }
    type KeyPaths = PathsForKinds<paths, Kinds, "apiKey">;
    expectTypeOf<PathsWithMethod<KeyPaths, "post">>().toEqualTypeOf<"/v1/sales">();
    expectTypeOf<PathsWithMethod<KeyPaths, "get">>().toEqualTypeOf<"/v1/items/{itemId}">();
    const keyClient = createClient<KeyPaths, "apiKey">(descriptor, {});
    void keyClient.POST("/v1/sales", { body: { type: "SALE", amount: 1, currency: "NZD" } });
    // @ts-expect-error an API key cannot list items
    void keyClient.GET("/v1/items");
  });
});

describe("throwOnError", () => {
  test("throwOnError: true narrows every result to its success branch", async () => {
    const throwing = createClient<paths>(descriptor, { baseUrl: "http://127.0.0.1:1", throwOnError: true });
    expectTypeOf(throwing).toEqualTypeOf<PorticoClient<paths, MediaType, true>>();
    const { data, error, response } = await throwing.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    // No `error` check needed: data is the body itself, not `| undefined`.
    expectTypeOf(data).toEqualTypeOf<{ id: string; name: string; quantity: number }>();
    expectTypeOf(data.quantity).toEqualTypeOf<number>();
    expectTypeOf(error).toEqualTypeOf<undefined>();
    expectTypeOf(response).toEqualTypeOf<Response>();
    const text = await throwing.GET("/v1/items", { parseAs: "text" });
    expectTypeOf(text.data).toEqualTypeOf<string>();
    const sale = await throwing.POST("/v1/sales", { body: { type: "SALE", amount: 1, currency: "NZD" } });
    expectTypeOf(sale.meta).toEqualTypeOf<ResponseMeta>();
    // @ts-expect-error the narrowed client still checks paths
    await throwing.GET("/v1/nope");
  });

  test("without throwOnError: true, results keep both branches", async () => {
    expectTypeOf(client).toEqualTypeOf<PorticoClient<paths>>();
    const { data } = await client.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    expectTypeOf(data).toEqualTypeOf<{ id: string; name: string; quantity: number } | undefined>();
    const off = createClient<paths>(descriptor, { throwOnError: false });
    const offResult = await off.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    expectTypeOf(offResult.data).toEqualTypeOf<{ id: string; name: string; quantity: number } | undefined>();
    if (offResult.error) expectTypeOf<"ITEM_NOT_FOUND">().toExtend<typeof offResult.error.code>();
  });

  test("a throwOnError: boolean variable keeps both branches", async () => {
    const flag: boolean = process.env["THROW"] === "1";
    const maybe = createClient<paths>(descriptor, { throwOnError: flag });
    expectTypeOf(maybe).toEqualTypeOf<PorticoClient<paths>>();
    const { data, error } = await maybe.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    expectTypeOf(data).toEqualTypeOf<{ id: string; name: string; quantity: number } | undefined>();
    if (error) expectTypeOf<"ITEM_NOT_FOUND">().toExtend<typeof error.code>();
    const options: ClientOptions = { throwOnError: flag };
    expectTypeOf(createClient<paths>(descriptor, options)).toEqualTypeOf<PorticoClient<paths>>();
  });

  test("PorticoResult keeps both branches by default and only data with Throws = true", () => {
    type Op = paths["/v1/items/{itemId}"]["get"];
    expectTypeOf<PorticoResult<Op, {}, MediaType, true>["data"]>().toEqualTypeOf<{ id: string; name: string; quantity: number }>();
    expectTypeOf<PorticoResult<Op>["data"]>().toEqualTypeOf<{ id: string; name: string; quantity: number } | undefined>();
    expectTypeOf<PorticoResult<Op, {}, MediaType, false>>().toEqualTypeOf<PorticoResult<Op>>();
  });
});

describe("fetchers", () => {
  test("one Fetcher (the seed's shape) serves API calls and every credential's token requests", () => {
    const fetcher: Fetcher = (url, init) => fetch(url, { ...init, headers: { ...init?.headers } });
    expectTypeOf(fetcher).toExtend<NonNullable<ClientOptions["fetcher"]>>();
    expectTypeOf(fetcher).toExtend<NonNullable<ClientCredentialsOptions["fetcher"]>>();
    expectTypeOf(fetcher).toExtend<NonNullable<RefreshTokenCredentialOptions["fetcher"]>>();
    // Token requests hand the fetcher plain-object headers, like API calls.
    expectTypeOf<Parameters<NonNullable<ClientCredentialsOptions["fetcher"]>>[1]["headers"]>().toEqualTypeOf<Record<string, string>>();
  });
});
