import { describe, expect, it } from "vitest";
import { clientNameFromTitle, readApiModel } from "../src/index.js";
import { plainSpecText } from "./support/spec.js";

describe("client names from info.title (zero-config naming)", () => {
  it.each([
    { title: "GitHub v3 REST API", name: "GitHub", pkg: "github-api-client" },
    { title: "GitHub's official OpenAPI spec + Octokit extension", name: "GitHub", pkg: "github-api-client" },
    { title: "Stripe API", name: "Stripe", pkg: "stripe-api-client" },
    { title: "OpenAI API", name: "OpenAI", pkg: "openai-api-client" },
    { title: "Box Platform API", name: "BoxPlatform", pkg: "box-platform-api-client" },
    { title: "Twilio - Messaging", name: "TwilioMessaging", pkg: "twilio-messaging-api-client" },
    { title: "Paypal Checkout Orders", name: "PaypalCheckoutOrders", pkg: "paypal-checkout-orders-api-client" },
    { title: "Orders", name: "Orders", pkg: "orders-api-client" },
    { title: "Acme Billing API (2024-01-01)", name: "AcmeBilling", pkg: "acme-billing-api-client" },
    { title: "Petstore 2.0 Public API", name: "Petstore", pkg: "petstore-api-client" },
    { title: "Swagger Petstore", name: "Petstore", pkg: "petstore-api-client" },
    { title: "Blockfrost.io ~ API Documentation", name: "Blockfrost", pkg: "blockfrost-api-client" },
    { title: "Ünïcode façade", name: "UnicodeFacade", pkg: "unicode-facade-api-client" },
    { title: "1Password Connect", name: "Api1PasswordConnect", pkg: "api-1password-connect-api-client" },
    { title: "REST API v1beta", name: "Api", pkg: "api-api-client" },
    { title: "", name: "Api", pkg: "api-api-client" },
  ])("$title → $name ($pkg)", ({ title, name, pkg }) => {
    expect(clientNameFromTitle(title).name).toBe(name);
    const model = readApiModel(plainSpecText({ info: { title } }));
    expect([model.clientName, model.packageName, model.name]).toEqual([name, pkg, name.toLowerCase()]);
  });
});
