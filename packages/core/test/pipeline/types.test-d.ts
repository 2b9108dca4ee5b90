import { describe, expectTypeOf, test } from "vitest";
import {
  ApiError,
  allStages, createClient,
  type CallError,
  type OperationApiError,
  type OperationErrorBody,
  type SdkCallError,
  type SpecErrorCode,
  type StatusErrorCode,
  type ClientOptions,
  type Credential,
  type PathsForKinds,
  type PathsWithMethod,
  PorticoError,
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
import { descriptor as mediaDescriptor, type components as mediaComponents, type paths as mediaPaths } from "./fixtures/media-errors.js";

const client = createClient<paths>(descriptor, { baseUrl: "http://127.0.0.1:1" }, allStages);

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
        case "RESPONSE_TOO_LARGE":
        case "IDEMPOTENCY_KEY_REUSED":
        case "TENANT_MISMATCH":
        case "INSUFFICIENT_SCOPES":
        case "ENVIRONMENT_MISMATCH":
        case "INVALID_TOKEN_FORMAT":
        case "CREDENTIAL_NOT_ALLOWED":
        case "CREDENTIAL_CONFLICT":
        case "INSECURE_TRANSPORT":
        case "INVALID_OPTIONS":
        case "INVALID_REQUEST":
        case "CIRCUIT_OPEN":
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
    const keyClient = createClient<KeyPaths, "apiKey">(descriptor, {}, allStages);
    void keyClient.POST("/v1/sales", { body: { type: "SALE", amount: 1, currency: "NZD" } });
    // @ts-expect-error an API key cannot list items
    void keyClient.GET("/v1/items");
  });
});

describe("throwOnError", () => {
  test("throwOnError: true narrows every result to its success branch", async () => {
    const throwing = createClient<paths>(descriptor, { baseUrl: "http://127.0.0.1:1", throwOnError: true }, allStages);
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
    const off = createClient<paths>(descriptor, { throwOnError: false }, allStages);
    const offResult = await off.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    expectTypeOf(offResult.data).toEqualTypeOf<{ id: string; name: string; quantity: number } | undefined>();
    if (offResult.error) expectTypeOf<"ITEM_NOT_FOUND">().toExtend<typeof offResult.error.code>();
  });

  test("a throwOnError: boolean variable keeps both branches", async () => {
    const flag: boolean = process.env["THROW"] === "1";
    const maybe = createClient<paths>(descriptor, { throwOnError: flag }, allStages);
    expectTypeOf(maybe).toEqualTypeOf<PorticoClient<paths>>();
    const { data, error } = await maybe.GET("/v1/items/{itemId}", { params: { path: { itemId: "a" } } });
    expectTypeOf(data).toEqualTypeOf<{ id: string; name: string; quantity: number } | undefined>();
    if (error) expectTypeOf<"ITEM_NOT_FOUND">().toExtend<typeof error.code>();
    const options: ClientOptions = { throwOnError: flag };
    expectTypeOf(createClient<paths>(descriptor, options, allStages)).toEqualTypeOf<PorticoClient<paths>>();
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

describe("errors typed per declared status", () => {
  const media = createClient<mediaPaths>(mediaDescriptor, { baseUrl: "http://127.0.0.1:1" }, allStages);
  type Schemas = mediaComponents["schemas"];

  test("status-derived codes, at the type level", () => {
    expectTypeOf<StatusErrorCode<404>>().toEqualTypeOf<"NOT_FOUND">();
    expectTypeOf<StatusErrorCode<"404">>().toEqualTypeOf<"NOT_FOUND">();
    expectTypeOf<StatusErrorCode<429>>().toEqualTypeOf<"RATE_LIMITED">();
    expectTypeOf<StatusErrorCode<418>>().toEqualTypeOf<"HTTP_418">();
    expectTypeOf<"NOT_FOUND" | "INTERNAL_SERVER_ERROR" | "HTTP_599">().toExtend<StatusErrorCode<"4XX">>();
    expectTypeOf<StatusErrorCode<"default">>().toEqualTypeOf<StatusErrorCode<number>>();
    expectTypeOf<"card_declined">().not.toExtend<StatusErrorCode<"default">>();
  });

  test("the code-like enum: code, error_code, errorCode, error.code; a plain string does not count", () => {
    expectTypeOf<SpecErrorCode<{ code: "A" | "B"; message: string }>>().toEqualTypeOf<"A" | "B">();
    expectTypeOf<SpecErrorCode<{ code?: "A" }>>().toEqualTypeOf<"A">();
    expectTypeOf<SpecErrorCode<{ code: string; error_code: "E" }>>().toEqualTypeOf<"E">();
    expectTypeOf<SpecErrorCode<{ errorCode: "C" }>>().toEqualTypeOf<"C">();
    expectTypeOf<SpecErrorCode<Schemas["CardError"]>>().toEqualTypeOf<"card_declined" | "expired_card" | "incorrect_cvc">();
    expectTypeOf<SpecErrorCode<Schemas["StripeError"]>>().toEqualTypeOf<never>();
    expectTypeOf<SpecErrorCode<Schemas["BasicError"]>>().toEqualTypeOf<never>();
    expectTypeOf<SpecErrorCode<{ code: "A" } | { error: { code: "B" } }>>().toEqualTypeOf<"A" | "B">();
    expectTypeOf<SpecErrorCode<undefined>>().toEqualTypeOf<never>();
  });

  test("switch (error.code): Stripe's nested card_declined has its declared body; `default` its own", async () => {
    const { error } = await media.POST("/v1/charges", { body: { amount: 2000, currency: "eur" } });
    if (!error) return;
    expectTypeOf<"card_declined" | "expired_card" | "incorrect_cvc" | "BAD_REQUEST" | "HTTP_499" | CallErrorCode>().toExtend<typeof error.code>();
    switch (error.code) {
      case "card_declined":
        expectTypeOf(error).toEqualTypeOf<ApiError<Schemas["CardError"], "card_declined" | "expired_card" | "incorrect_cvc", 402>>();
        expectTypeOf(error.body).toEqualTypeOf<Schemas["CardError"]>();
        expectTypeOf(error.body.error.code).toEqualTypeOf<"card_declined" | "expired_card" | "incorrect_cvc">();
        expectTypeOf(error.status).toEqualTypeOf<402>();
        break;
      case "BAD_REQUEST":
        expectTypeOf(error.body).toEqualTypeOf<Schemas["StripeError"]>();
        expectTypeOf(error.status).toEqualTypeOf<number>();
        break;
      case "NETWORK_ERROR":
        expectTypeOf(error).toEqualTypeOf<SdkCallError>();
        expectTypeOf(error.body).toEqualTypeOf<undefined>();
        break;
    }
  });

  test("a declared error without a code enum: code from its status, body declared", async () => {
    const { error } = await media.POST("/v1/uploads", { body: { file: "f", purpose: "p" } });
    if (!error) return;
    expectTypeOf(error.code).toEqualTypeOf<"BAD_REQUEST" | CallErrorCode>();
    if (error.code === "BAD_REQUEST") {
      expectTypeOf(error.body).toEqualTypeOf<Schemas["Problem"]>();
      expectTypeOf(error.body.title).toEqualTypeOf<string>();
    }
    // A declared text body is typed as its content; a status with no content as undefined.
    const note = await media.POST("/v1/notes", { body: "n" });
    if (note.error?.code === "BAD_REQUEST") expectTypeOf(note.error.body).toEqualTypeOf<string>();
    const blob = await media.PUT("/v1/blobs/{name}", { params: { path: { name: "a" } }, body: "b" });
    if (blob.error?.code === "CONTENT_TOO_LARGE") expectTypeOf(blob.error.body).toEqualTypeOf<undefined>();
  });

  test("switch (error.status) narrows the body; an SDK error may have any status and no body", async () => {
    const { error } = await media.POST("/v1/uploads", { body: { file: "f", purpose: "p" } });
    if (!error) return;
    expectTypeOf(error.body).toEqualTypeOf<Schemas["Problem"] | undefined>();
    switch (error.status) {
      case 400:
        expectTypeOf(error.body).toEqualTypeOf<Schemas["Problem"] | undefined>();
        if (error.body !== undefined) expectTypeOf(error.body.status).toEqualTypeOf<number>();
        break;
      case undefined:
        expectTypeOf(error).toEqualTypeOf<SdkCallError>();
        break;
    }
    const thing = await media.GET("/v1/things/{id}", { params: { path: { id: "t" } } });
    if (thing.error?.status === 409) {
      // The 409 body, the 5XX range's (its status is any number) or none (an SDK error).
      expectTypeOf(thing.error.body).toEqualTypeOf<Schemas["VersionConflict"] | Schemas["BasicError"] | undefined>();
    }
    if (thing.error?.code === "VERSION_MISMATCH") {
      expectTypeOf(thing.error.status).toEqualTypeOf<409>();
      expectTypeOf(thing.error.body.current).toEqualTypeOf<number>();
    }
    if (thing.error?.code === "INVALID_NAME") expectTypeOf(thing.error.body).toEqualTypeOf<Schemas["ValidationError"]>();
    if (thing.error?.code === "GONE") expectTypeOf(thing.error.body).toEqualTypeOf<undefined | Schemas["BasicError"]>();
  });

  test("instanceof ApiError keeps exactly the declared errors", async () => {
    const { error } = await media.POST("/v1/uploads", { body: { file: "f", purpose: "p" } });
    if (error instanceof ApiError) {
      expectTypeOf(error).toEqualTypeOf<ApiError<Schemas["Problem"], "BAD_REQUEST", 400>>();
      expectTypeOf(error.body.type).toEqualTypeOf<string>();
    } else if (error) {
      expectTypeOf(error).toEqualTypeOf<SdkCallError>();
    }
    // Every error is a PorticoError: nothing is dropped by that check.
    if (error instanceof PorticoError) expectTypeOf(error).toEqualTypeOf<CallError<mediaPaths["/v1/uploads"]["post"]>>();
  });

  test("exhaustive switch over the codes compiles; a missing one is flagged", async () => {
    const { error } = await media.GET("/v1/reports");
    if (!error) return;
    expectTypeOf(error.code).toEqualTypeOf<CallErrorCode>();
    const handle = (code: CallErrorCode): string => code;
    switch (error.code) {
      case "INSUFFICIENT_CREDITS":
        expectTypeOf(error.body).toEqualTypeOf<Schemas["CreditsError"] | undefined>();
        break;
      case "NETWORK_ERROR":
      case "TIMEOUT":
      case "ABORTED":
      case "RATE_LIMITED":
      case "TOKEN_REFRESH_FAILED":
      case "TOKEN_RESPONSE_INVALID":
      case "SESSION_EXPIRED":
      case "UNEXPECTED_RESPONSE":
      case "RESPONSE_TOO_LARGE":
      case "IDEMPOTENCY_KEY_REUSED":
      case "TENANT_MISMATCH":
      case "INSUFFICIENT_SCOPES":
      case "ENVIRONMENT_MISMATCH":
      case "INVALID_TOKEN_FORMAT":
      case "CREDENTIAL_NOT_ALLOWED":
      case "CREDENTIAL_CONFLICT":
      case "INSECURE_TRANSPORT":
      case "INVALID_OPTIONS":
      case "INVALID_REQUEST":
      case "CIRCUIT_OPEN":
        handle(error.code);
        break;
      default: {
        const exhaustive: never = error;
        void exhaustive;
      }
    }
    switch (error.code) {
      case "INSUFFICIENT_CREDITS":
        break;
      default: {
        // @ts-expect-error the SDK codes are not handled
        const missing: never = error.code;
        void missing;
      }
    }
  });

  test("the helper types agree with the result", () => {
    type Upload = mediaPaths["/v1/uploads"]["post"];
    expectTypeOf<OperationApiError<Upload>>().toEqualTypeOf<ApiError<Schemas["Problem"], "BAD_REQUEST", 400>>();
    expectTypeOf<CallError<Upload>>().toEqualTypeOf<ApiError<Schemas["Problem"], "BAD_REQUEST", 400> | SdkCallError>();
    expectTypeOf<OperationErrorBody<mediaPaths["/v1/blobs/{name}"]["put"]>>().toEqualTypeOf<undefined>();
    expectTypeOf<NonNullable<PorticoResult<Upload>["error"]>>().toEqualTypeOf<CallError<Upload>>();
    expectTypeOf<OperationApiError<mediaPaths["/v1/events"]["post"]>>().toEqualTypeOf<never>();
  });
});
