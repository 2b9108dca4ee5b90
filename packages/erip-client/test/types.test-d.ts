import { apiKey, bearerToken, type Credential, type HttpMethod, type PaginatingClient, type PathsWithMethod, type PorticoClient } from "@portico/core";
import { describe, expectTypeOf, it } from "vitest";
import { createEripApiClient, type EripApiClient, type EripApiPaths, type EripCredentialKind, type EripPaginatedOperations, type paths } from "@erip/api-client";

const key = createEripApiClient({ auth: apiKey(`erip_${"a".repeat(40)}`) });
const jwt = createEripApiClient({ auth: bearerToken("eyJ.jwt.sig") });

type TenantPaths<P extends {}, M extends HttpMethod> = Extract<PathsWithMethod<P, M>, `/v1/tenant/${string}`>;

describe("@erip/api-client types", () => {
  it("types paths, params and bodies from specs/erip.yaml", async () => {
    const { data } = await key.GET("/v1/companies/search", { params: { query: { name: "Siemens" } } });
    expectTypeOf(data).not.toBeAny();

    // @ts-expect-error a path the spec does not have
    await key.GET("/v1/companies/searh", { params: { query: { name: "Siemens" } } });
    // @ts-expect-error a missing required query parameter
    await key.GET("/v1/companies/search", { params: { query: {} } });
    // @ts-expect-error a query parameter of the wrong type
    await key.GET("/v1/companies/search", { params: { query: { name: "Siemens", limit: "ten" } } });
    // @ts-expect-error a body with the wrong shape (name must be a string)
    await jwt.POST("/v1/tenant/api-keys/service", { body: { name: 1 } });
  });

  it("has no /v1/tenant/** operation on a client built with an API key", async () => {
    expectTypeOf<TenantPaths<EripApiPaths<"apiKey">, "get">>().toBeNever();
    expectTypeOf<TenantPaths<EripApiPaths<"apiKey">, "post">>().toBeNever();
    expectTypeOf<TenantPaths<EripApiPaths<"apiKey">, "put">>().toBeNever();
    expectTypeOf<TenantPaths<EripApiPaths<"apiKey">, "patch">>().toBeNever();
    expectTypeOf<TenantPaths<EripApiPaths<"apiKey">, "delete">>().toBeNever();
    // @ts-expect-error tenant administration takes a JWT only
    await key.GET("/v1/tenant/credits");
    // @ts-expect-error tenant administration takes a JWT only
    await key.POST("/v1/tenant/api-keys/service", { body: { name: "ci" } });
    await key.GET("/v1/auth/me");
  });

  it("keeps /v1/tenant/** for a JWT client", async () => {
    expectTypeOf<TenantPaths<EripApiPaths<"bearer">, "get">>().toEqualTypeOf<TenantPaths<paths, "get">>();
    expectTypeOf<TenantPaths<paths, "get">>().not.toBeNever();
    await jwt.GET("/v1/tenant/credits");
    await jwt.POST("/v1/tenant/api-keys/service", { body: { name: "ci" } });
  });

  it("is typed over `paths` itself when the credentials may call every operation (no filter for tsc to evaluate)", () => {
    expectTypeOf<EripApiPaths>().toEqualTypeOf<paths>();
    expectTypeOf<EripApiClient>().toEqualTypeOf<PorticoClient<paths> & PaginatingClient<paths, EripPaginatedOperations>>();
    expectTypeOf(createEripApiClient({})).toEqualTypeOf<PorticoClient<paths> & PaginatingClient<paths, EripPaginatedOperations>>();
    expectTypeOf<EripApiPaths<"bearer">>().toEqualTypeOf<paths>();
    expectTypeOf<EripApiPaths<"apiKey" | "bearer">>().toEqualTypeOf<paths>();
  });

  it("keeps an operation when any of the client's credential kinds may call it", () => {
    expectTypeOf<TenantPaths<EripApiPaths<"apiKey" | "bearer">, "get">>().toEqualTypeOf<TenantPaths<paths, "get">>();
    expectTypeOf<"/v1/auth/me">().toExtend<PathsWithMethod<EripApiPaths<"apiKey">, "get">>();
    expectTypeOf<"/v1/auth/accept-invite" | "/v1/auth/login-link">().toExtend<PathsWithMethod<EripApiPaths<"apiKey">, "get">>();
  });

  it("lets `none` (sends nothing, local development) call every operation", () => {
    expectTypeOf<EripApiPaths<"none">>().toEqualTypeOf<paths>();
    expectTypeOf<TenantPaths<EripApiPaths<"apiKey" | "none">, "get">>().toEqualTypeOf<TenantPaths<paths, "get">>();
  });

  it("refuses a credential of a kind no ERIP scheme takes, although some operations are public", () => {
    expectTypeOf<EripCredentialKind>().toEqualTypeOf<"none" | "bearer" | "apiKey">();
    // @ts-expect-error ERIP has no HTTP basic scheme: a basic credential is not an ERIP credential
    createEripApiClient({ auth: {} as Credential<"basic"> });
    // @ts-expect-error ERIP has no mutualTLS scheme
    createEripApiClient({ auth: [bearerToken("eyJ.jwt.sig"), {} as Credential<"mutualTLS">] });
  });

  it("binds credentials by scheme name, each of the kind its scheme takes", () => {
    createEripApiClient({ auth: { apiKeyAuth: apiKey(`erip_${"a".repeat(40)}`), bearerAuth: bearerToken("eyJ.jwt.sig") } });
    // @ts-expect-error apiKeyAuth is an API key scheme, not a bearer token
    createEripApiClient({ auth: { apiKeyAuth: bearerToken("eyJ.jwt.sig") } });
  });
});
