import { basicAuth } from "@portico/core";
import { describe, expect, test } from "vitest";
import { basicHeader, expectCredentialOnlyAt, expectUndeclaredError, formPairs, mediaType } from "./support/expectations.js";
import { useCorpus } from "./support/harness.js";

// Twilio Messaging v1 (specs/twilio-messaging.json): HTTP basic only (Account SID : Auth Token);
// POST bodies are application/x-www-form-urlencoded (arrays: style form, explode → repeated keys);
// no 4xx is declared at all.
const ACCOUNT_SID = "ACcorpus0123456789abcdef0123456789";
const AUTH_TOKEN = "corpusTwilioAuthToken9f8e7d6c5b4a3210";
const ctx = useCorpus("twilio-messaging");
const twilio = () => ctx.client({ auth: basicAuth(ACCOUNT_SID, AUTH_TOKEN) });
const secrets = [ACCOUNT_SID, AUTH_TOKEN, basicHeader(ACCOUNT_SID, AUTH_TOKEN).slice(6)];

describe("Twilio Messaging: HTTP basic only, form-encoded bodies", () => {
  test("POST /v1/Services: Authorization: Basic base64(sid:token) only; scalars form-encoded", async () => {
    ctx.recorder.answer({ status: 201, body: { sid: "MGcorpus", friendly_name: "Corpus service" } });
    const result = await twilio().POST("/v1/Services", {
      body: { FriendlyName: "Corpus service", InboundRequestUrl: "https://example.com/inbound", StickySender: true, ValidityPeriod: 600 },
    });
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ sid: "MGcorpus", friendly_name: "Corpus service" });
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["POST", "/v1/Services"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: basicHeader(ACCOUNT_SID, AUTH_TOKEN) }], secrets);
    expect(mediaType(request!)).toBe("application/x-www-form-urlencoded");
    expect(formPairs(request!).sort()).toEqual(
      [
        ["FriendlyName", "Corpus service"],
        ["InboundRequestUrl", "https://example.com/inbound"],
        ["StickySender", "true"],
        ["ValidityPeriod", "600"],
      ].sort(),
    );
  });

  test("POST …/Compliance/Usa2p: an array property is sent as repeated keys (form, explode)", async () => {
    ctx.recorder.answer({ status: 201, body: { sid: "QEcorpus" } });
    const result = await twilio().POST("/v1/Services/{MessagingServiceSid}/Compliance/Usa2p", {
      params: { path: { MessagingServiceSid: "MGcorpus" } },
      body: {
        BrandRegistrationSid: "BNcorpus",
        Description: "Order updates",
        MessageFlow: "Customers opt in at checkout",
        MessageSamples: ["Your order shipped", "Your order arrived"],
        UsAppToPersonUsecase: "ACCOUNT_NOTIFICATION",
        HasEmbeddedLinks: false,
        HasEmbeddedPhone: false,
      },
    });
    expect(result.error).toBeUndefined();
    const [request] = ctx.recorder.requests;
    expect(request!.path).toBe("/v1/Services/MGcorpus/Compliance/Usa2p");
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: basicHeader(ACCOUNT_SID, AUTH_TOKEN) }], secrets);
    expect(mediaType(request!)).toBe("application/x-www-form-urlencoded");
    expect(formPairs(request!).sort()).toEqual(
      [
        ["BrandRegistrationSid", "BNcorpus"],
        ["Description", "Order updates"],
        ["MessageFlow", "Customers opt in at checkout"],
        ["MessageSamples", "Your order shipped"],
        ["MessageSamples", "Your order arrived"],
        ["UsAppToPersonUsecase", "ACCOUNT_NOTIFICATION"],
        ["HasEmbeddedLinks", "false"],
        ["HasEmbeddedPhone", "false"],
      ].sort(),
    );
  });

  test("GET /v1/Services/{Sid} answered with an undeclared 404: an error result with the status, no data", async () => {
    ctx.recorder.answer({
      status: 404,
      body: { code: 20404, message: "The requested resource /Services/MGmissing was not found", more_info: "https://www.twilio.com/docs/errors/20404", status: 404 },
    });
    const result = await twilio().GET("/v1/Services/{Sid}", { params: { path: { Sid: "MGmissing" } } });
    const [request] = ctx.recorder.requests;
    expect([request!.method, request!.target]).toEqual(["GET", "/v1/Services/MGmissing"]);
    expectCredentialOnlyAt(request!, [{ header: "authorization", value: basicHeader(ACCOUNT_SID, AUTH_TOKEN) }], secrets);
    expectUndeclaredError(result, 404);
  });
});
