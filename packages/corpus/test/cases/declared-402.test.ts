import { ApiError, bearerToken, PorticoError } from "@portico/core";
import { describe, expect, test } from "vitest";
import { expectCredentialOnlyAt, expectDeclaredError } from "../support/expectations.js";
import { useCorpus } from "../support/harness.js";

// cases/declared-402.yaml: `POST /v1/charges` declares a 402 whose body has a `code` enum
// (card_declined, expired_card, insufficient_credits) and a 404 without one; it spends no credits.
// `GET /v1/reports` declares an `X-Credits-Remaining` response header: it is credit-metered.
const TOKEN = "case_payments_token_5e4d3c2b1a";
const ctx = useCorpus("declared-402");

describe("a declared 402 with a code enum: the spec's code and body, credits only where metered", () => {
  test("POST /v1/charges answered 402 card_declined: ApiError, code card_declined, the body as sent (not INSUFFICIENT_CREDITS)", async () => {
    const declined = { code: "card_declined", message: "Your card was declined.", decline_code: "insufficient_funds" };
    ctx.recorder.answer({ status: 402, body: declined });
    const payments = ctx.client({ auth: bearerToken(TOKEN) });
    const result = await payments.POST("/v1/charges", { body: { amount: 1999 } });
    expectDeclaredError(result, { status: 402, body: declined, code: "card_declined" });
    expect(result.meta.attempts).toBe(1);
    const [request] = ctx.recorder.requests;
    expect(request!.text()).toBe('{"amount":1999}');
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: `Bearer ${TOKEN}` }], [TOKEN]);
  });

  test("even the enum's own insufficient_credits is the spec's code on a non-metered operation", async () => {
    const body = { code: "insufficient_credits", message: "Prepaid balance too low." };
    ctx.recorder.answer({ status: 402, body });
    const result = await ctx.client({ auth: bearerToken(TOKEN) }).POST("/v1/charges", { body: { amount: 1 } });
    expectDeclaredError(result, { status: 402, body, code: "insufficient_credits" });
  });

  test("the same operation's 404 without a code enum: code NOT_FOUND, the body as sent", async () => {
    const body = { message: "No such customer." };
    ctx.recorder.answer({ status: 404, body });
    const result = await ctx.client({ auth: bearerToken(TOKEN) }).POST("/v1/charges", { body: { amount: 1 } });
    expectDeclaredError(result, { status: 404, body, code: "NOT_FOUND" });
  });

  test("a 402 whose code the enum does not declare: UNEXPECTED_RESPONSE naming the server's code", async () => {
    ctx.recorder.answer({ status: 402, body: { code: "card_velocity_exceeded", message: "Too many attempts." } });
    const result = await ctx.client({ auth: bearerToken(TOKEN) }).POST("/v1/charges", { body: { amount: 1 } });
    expect(result.error).toBeInstanceOf(PorticoError);
    expect(result.error).not.toBeInstanceOf(ApiError);
    expect(result.error.code).toBe("UNEXPECTED_RESPONSE");
    expect(result.error.status).toBe(402);
    expect(result.error.message).toContain("card_velocity_exceeded");
  });

  test("GET /v1/reports (metered: declares X-Credits-Remaining) answered 402: INSUFFICIENT_CREDITS", async () => {
    ctx.recorder.answer({ status: 402, headers: { "x-credits-remaining": "0" }, body: { code: "insufficient_credits", message: "Out of credits." } });
    const result = await ctx.client({ auth: bearerToken(TOKEN) }).GET("/v1/reports");
    expect(result.data).toBeUndefined();
    expect(result.error).toBeInstanceOf(PorticoError);
    expect(result.error).not.toBeInstanceOf(ApiError);
    expect(result.error.code).toBe("INSUFFICIENT_CREDITS");
    expect(result.error.status).toBe(402);
  });
});
