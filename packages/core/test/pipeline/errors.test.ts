import { describe, expect, test } from "vitest";
import { ApiError, PorticoError, StatusErrorCode, allStages, createClient, statusErrorCode } from "../../src/index.js";
import { json, useLoopbacks, type Handler } from "../support/loopback.js";
import { descriptor, type paths } from "./fixtures/media-errors.js";

const { server } = useLoopbacks();

async function clientFor(handler: Handler) {
  const api = await server(handler);
  return createClient<paths>(descriptor, { baseUrl: api.url, retry: false }, allStages);
}

type Client = Awaited<ReturnType<typeof clientFor>>;
const getThing = (client: Client) => client.GET("/v1/things/{id}", { params: { path: { id: "t1" } } });
const charge = (client: Client) => client.POST("/v1/charges", { body: { amount: 2000, currency: "eur" } });

describe("a declared error without a code enum gets the status-derived code", () => {
  test("404 with GitHub's basic-error → ApiError NOT_FOUND carrying the body", async () => {
    const body = { message: "Not Found", documentation_url: "https://docs.example.test/rest" };
    const client = await clientFor((_q, r) => json(r, 404, body, { "x-request-id": "req_404" }));
    const { error, meta } = await getThing(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("NOT_FOUND");
    expect(error?.status).toBe(404);
    expect(error?.body).toEqual(body);
    expect(error?.requestId).toBe("req_404");
    expect(meta.status).toBe(404);
    expect(error?.message).toBe("GET /v1/things/{id} failed with 404 NOT_FOUND: Not Found");
  });

  test("a status declared with no content → the code of its status, body undefined", async () => {
    const client = await clientFor((_q, r) => void r.writeHead(410).end());
    const { error } = await getThing(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("GONE");
    expect(error?.body).toBeUndefined();
  });

  test("a declared non-JSON body (text/plain) is kept as text", async () => {
    const client = await clientFor((_q, r) => void r.writeHead(400, { "content-type": "text/plain" }).end("note too long"));
    const { error } = await client.POST("/v1/notes", { body: "hi" });
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.body).toBe("note too long");
  });

  test("a range (5XX) covers its statuses", async () => {
    const client = await clientFor((_q, r) => json(r, 503, { message: "maintenance" }));
    const { error } = await getThing(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("SERVICE_UNAVAILABLE");
    expect(error?.status).toBe(503);
    expect(error?.body).toEqual({ message: "maintenance" });
  });

  test("`default` covers an undeclared 4xx; Stripe's plain-string code does not count as an enum", async () => {
    const body = { error: { code: "parameter_missing", message: "Missing required param: currency.", type: "invalid_request_error" } };
    const client = await clientFor((_q, r) => json(r, 400, body));
    const { error } = await charge(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.status).toBe(400);
    expect(error?.body).toEqual(body);
    expect(error?.details.serverCode).toBe("parameter_missing");
    expect(error?.message).toContain("Missing required param: currency.");
  });

  test("application/problem+json is a JSON body", async () => {
    const problem = { type: "about:blank", title: "Bad upload", status: 400, detail: "purpose is required" };
    const api = await server((_q, r) => void r.writeHead(400, { "content-type": "application/problem+json" }).end(JSON.stringify(problem)));
    const client = createClient<paths>(descriptor, { baseUrl: api.url, retry: false }, allStages);
    const { error } = await client.POST("/v1/uploads", { body: { file: "x", purpose: "" } });
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.body).toEqual(problem);
    expect(error?.message).toContain("purpose is required");
  });
});

describe("code-like enums: code, error_code, errorCode, error.code", () => {
  test("Stripe's 402 card_declined on an operation that is not credit-metered → ApiError with the declared body", async () => {
    const body = { error: { code: "card_declined", decline_code: "insufficient_funds", message: "Your card was declined.", type: "card_error" } };
    const client = await clientFor((_q, r) => json(r, 402, body));
    const { error } = await charge(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("card_declined");
    expect(error?.status).toBe(402);
    expect(error?.body).toEqual(body);
    expect(error?.message).toBe("POST /v1/charges failed with 402 card_declined: Your card was declined.");
  });

  test("error_code", async () => {
    const client = await clientFor((_q, r) => json(r, 422, { error_code: "NAME_TOO_LONG", message: "name is too long" }));
    const { error } = await getThing(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("NAME_TOO_LONG");
  });

  test("errorCode", async () => {
    const client = await clientFor((_q, r) => json(r, 409, { errorCode: "VERSION_MISMATCH", current: 3 }));
    const { error } = await getThing(client);
    expect(error?.code).toBe("VERSION_MISMATCH");
    expect(error?.body).toEqual({ errorCode: "VERSION_MISMATCH", current: 3 });
  });

  test("a code the spec does not declare → UNEXPECTED_RESPONSE with serverCode", async () => {
    const client = await clientFor((_q, r) => json(r, 402, { error: { code: "processing_error", type: "card_error" } }));
    const { error } = await charge(client);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(error?.details.serverCode).toBe("processing_error");
    expect(error?.message).toContain("processing_error, which the spec does not declare for 402");
  });
});

describe("402 means credits only where the operation is credit-metered", () => {
  test("metered 402 → INSUFFICIENT_CREDITS with the balance", async () => {
    const client = await clientFor((_q, r) => json(r, 402, { code: "INSUFFICIENT_CREDITS", message: "out of credits" }, { "x-credits-remaining": "3" }));
    const { error } = await client.GET("/v1/reports");
    expect(error).toBeInstanceOf(PorticoError);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error?.code).toBe("INSUFFICIENT_CREDITS");
    expect(error?.status).toBe(402);
    expect(error?.details).toMatchObject({ balance: 3, serverCode: "INSUFFICIENT_CREDITS" });
    expect(error?.body).toBeUndefined();
  });

  test("a 402 an unmetered operation does not declare → UNEXPECTED_RESPONSE, not credits", async () => {
    const client = await clientFor((_q, r) => json(r, 402, { message: "pay up" }));
    const { error } = await getThing(client);
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(error?.message).toContain("the spec declares no 402 response");
  });
});

describe("undeclared or mismatched responses", () => {
  test("an undeclared status → UNEXPECTED_RESPONSE saying so", async () => {
    const client = await clientFor((_q, r) => json(r, 418, { message: "teapot" }));
    const { error } = await getThing(client);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(error?.status).toBe(418);
    expect(error?.message).toContain("the spec declares no 418 response");
    expect(error?.details.bodyExcerpt).toBe('{"message":"teapot"}');
  });

  test.each<[string, Handler, string]>([
    ["a body of another shape", (_q, r) => json(r, 404, { detail: "gone" }), "the body matches no declared error shape"],
    ["an HTML page", (_q, r) => void r.writeHead(404, { "content-type": "text/html" }).end("<h1>404</h1>"), "the body is not JSON"],
    ["an empty body", (_q, r) => void r.writeHead(404).end(), "the body is empty"],
  ])("a declared JSON error with %s → UNEXPECTED_RESPONSE", async (_name, handler, why) => {
    const client = await clientFor(handler);
    const { error } = await getThing(client);
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
    expect(error?.message).toContain(why);
  });

  test("`default` does not cover a non-error status", async () => {
    const client = await clientFor((_q, r) => void r.writeHead(304).end());
    const { error } = await charge(client);
    expect(error?.code).toBe("UNEXPECTED_RESPONSE");
  });
});

describe("429", () => {
  test("declared → ApiError RATE_LIMITED with the body, Retry-After and rate-limit details", async () => {
    const client = await clientFor((_q, r) =>
      json(r, 429, { message: "API rate limit exceeded" }, { "retry-after": "7", "x-ratelimit-limit": "60", "x-ratelimit-remaining": "0" }),
    );
    const { error } = await getThing(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.code).toBe("RATE_LIMITED");
    expect(error?.body).toEqual({ message: "API rate limit exceeded" });
    expect(error?.details).toMatchObject({ retryAfterMs: 7000, rateLimit: { limit: 60, remaining: 0 } });
    expect(error?.message).toContain("wait 7 s");
  });

  test("undeclared → the SDK's RATE_LIMITED", async () => {
    const client = await clientFor((_q, r) => json(r, 429, { message: "slow down" }, { "retry-after": "2" }));
    const { error } = await charge(client);
    expect(error).not.toBeInstanceOf(ApiError);
    // `default` covers it, but its shape does not match: the SDK's code.
    expect(error?.code).toBe("RATE_LIMITED");
    expect(error?.details).toMatchObject({ retryAfterMs: 2000 });
  });
});

describe("errors keep no secret", () => {
  test("the message excerpts are redacted; toJSON never carries the body", async () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
    const client = await clientFor((_q, r) => json(r, 404, { message: `token Bearer ${jwt} is not valid here`, secret: "s3cr3t-value-123" }));
    const { error } = await getThing(client);
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.message).not.toContain(jwt);
    const serialized = JSON.stringify(error);
    expect(serialized).not.toContain(jwt);
    expect(serialized).not.toContain("s3cr3t-value-123");
    expect(JSON.parse(serialized)).toMatchObject({ code: "NOT_FOUND", status: 404 });
  });
});

describe("status-derived codes", () => {
  test.each<[number, string]>([
    [400, "BAD_REQUEST"],
    [402, "PAYMENT_REQUIRED"],
    [413, "CONTENT_TOO_LARGE"],
    [422, "UNPROCESSABLE_CONTENT"],
    [429, "RATE_LIMITED"],
    [451, "UNAVAILABLE_FOR_LEGAL_REASONS"],
    [500, "INTERNAL_SERVER_ERROR"],
    [511, "NETWORK_AUTHENTICATION_REQUIRED"],
    [418, "HTTP_418"],
    [499, "HTTP_499"],
    [599, "HTTP_599"],
  ])("%i → %s", (status, code) => {
    expect(statusErrorCode(status)).toBe(code);
  });

  test("the table names every 4xx/5xx status with an RFC 9110 reason phrase, in UPPER_SNAKE", () => {
    expect(Object.keys(StatusErrorCode)).toHaveLength(37);
    for (const code of Object.values(StatusErrorCode)) expect(code).toMatch(/^[A-Z][A-Z_]+[A-Z]$/);
  });
});
