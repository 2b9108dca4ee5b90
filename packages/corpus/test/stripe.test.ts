import { basicAuth, bearerToken } from "@portico/core";
import { describe, expect, test } from "vitest";
import { basicHeader, expectCredentialOnlyAt, expectDeclaredError, formPairs, mediaType } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// Stripe (specs/stripe.yaml): security is HTTP basic OR bearer; every POST body is
// application/x-www-form-urlencoded with deepObject encoding; errors are one `default` response
// whose body is `{ error: { type, code, message, ... } }` (no code enum: codes derive from the status).
const SECRET = "sk_test_51CorpusStripeSecretKey9f8e7d6c5b4a";
const ctx = useCorpus("stripe");

const notFound = {
  error: {
    type: "invalid_request_error",
    code: "resource_missing",
    message: "No such customer: 'cus_missing'",
    param: "id",
    doc_url: "https://stripe.com/docs/error-codes/resource-missing",
  },
};

describe("Stripe: HTTP basic OR bearer, nested form bodies, the default error response", () => {
  test("POST /v1/customers with basicAuth: Authorization: Basic base64(key:) only; address[line1]=… form body", async () => {
    ctx.recorder.answer({ status: 200, body: { id: "cus_NffrFeUfNV2Hib", object: "customer" } });
    const stripe = ctx.client({ auth: basicAuth(SECRET, "") });
    const result = await stripe.POST("/v1/customers", {
      body: {
        name: "Jenny Rosen",
        email: "jenny.rosen@example.com",
        address: { line1: "510 Townsend St", city: "San Francisco" },
        metadata: { order_id: "6735" },
      },
    });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ id: "cus_NffrFeUfNV2Hib", object: "customer" });
    expect(ctx.recorder.requests).toHaveLength(1);
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.path]).toEqual(["POST", "/v1/customers"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: basicHeader(SECRET, "") }], [SECRET, basicHeader(SECRET, "").slice(6)]);
    expect(mediaType(request!)).toBe("application/x-www-form-urlencoded");
    expect(formPairs(request!).sort()).toEqual(
      [
        ["name", "Jenny Rosen"],
        ["email", "jenny.rosen@example.com"],
        ["address[line1]", "510 Townsend St"],
        ["address[city]", "San Francisco"],
        ["metadata[order_id]", "6735"],
      ].sort(),
    );
  });

  test("a POST with an Idempotency-Key answered 503 then 200: retried with the same key and byte-identical form body", async () => {
    ctx.recorder.answer(
      { status: 503, body: { error: { type: "api_error", message: "Stripe is temporarily unavailable." } } },
      { status: 200, body: { id: "cus_retried", object: "customer" } },
    );
    const stripe = ctx.client({ auth: basicAuth(SECRET, ""), retry: { baseDelayMs: 1 } });
    const result = await stripe.POST("/v1/customers", {
      body: { name: "Jenny Rosen", address: { line1: "510 Townsend St", city: "San Francisco" } },
      idempotencyKey: "corpus-idem-0001",
    });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ id: "cus_retried", object: "customer" });
    expect(ctx.recorder.requests).toHaveLength(2);
    const [first, second] = ctx.recorder.requests;
    for (const request of [first!, second!]) {
      expectCredentialOnlyAt(request, [{ header: "authorization", value: basicHeader(SECRET, "") }], [SECRET, basicHeader(SECRET, "").slice(6)]);
      expect(request.header("idempotency-key")).toEqual(["corpus-idem-0001"]);
      expect(mediaType(request)).toBe("application/x-www-form-urlencoded");
    }
    expect(Buffer.compare(first!.body, second!.body)).toBe(0);
    expect(formPairs(second!).sort()).toEqual(
      [
        ["name", "Jenny Rosen"],
        ["address[line1]", "510 Townsend St"],
        ["address[city]", "San Francisco"],
      ].sort(),
    );
  });

  test("the user's choice among the alternatives wins: bearerToken → Authorization: Bearer <key> only", async () => {
    ctx.recorder.answer({ status: 200, body: { object: "balance", available: [] } });
    const stripe = ctx.client({ auth: bearerToken(SECRET) });
    const result = await stripe.GET("/v1/balance");
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["GET", "/v1/balance"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${SECRET}` }], [SECRET]);
    expect(request!.body.length, "a GET sends no body").toBe(0);
  });

  test("GET /v1/customers/{customer} answered 404: the default error's body, code NOT_FOUND", async () => {
    ctx.recorder.answer({ status: 404, body: notFound, headers: { "request-id": "req_corpus404" } });
    const stripe = ctx.client({ auth: basicAuth(SECRET, "") });
    const result = await stripe.GET("/v1/customers/{customer}", { params: { path: { customer: "cus_missing" } } });
    expect(ctx.recorder.requests.map((r) => r.path)).toEqual(["/v1/customers/cus_missing"]);
    expectDeclaredError(result, { status: 404, body: notFound, code: "NOT_FOUND" });
  });

  test("a 402 card decline is the declared error with Stripe's body, not INSUFFICIENT_CREDITS", async () => {
    const declined = {
      error: {
        type: "card_error",
        code: "card_declined",
        decline_code: "insufficient_funds",
        message: "Your card has insufficient funds.",
        doc_url: "https://stripe.com/docs/error-codes/card-declined",
        request_log_url: "https://dashboard.stripe.com/test/logs/req_corpus402",
      },
    };
    ctx.recorder.answer({ status: 402, body: declined });
    const stripe = ctx.client({ auth: basicAuth(SECRET, "") });
    const result = await stripe.POST("/v1/payment_intents/{intent}/confirm", {
      params: { path: { intent: "pi_3Corpus" } },
      body: { payment_method: "pm_card_visa" },
    });
    const [request] = ctx.recorder.requests;
    expect(request!.path).toBe("/v1/payment_intents/pi_3Corpus/confirm");
    expect(mediaType(request!)).toBe("application/x-www-form-urlencoded");
    expect(formPairs(request!)).toEqual([["payment_method", "pm_card_visa"]]);
    expectDeclaredError(result, { status: 402, body: declined, code: "PAYMENT_REQUIRED" });
  });
});
