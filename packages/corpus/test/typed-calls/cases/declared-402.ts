import { ApiError, bearerToken, isApiError } from "@portico/core";
import { createPaymentsApiClient, type components } from "../../../.generated/declared-402/index.js";
import { expectType, type Equal } from "./support.js";

type PaymentError = components["schemas"]["PaymentError"];
type NotFoundBody = { message: string };

// `error.body` is the declared type per status, narrowed by `error.code` and by `error.status`.
export async function declared402Calls(): Promise<string> {
  const payments = createPaymentsApiClient({ baseUrl: "https://api.payments.example.com", auth: bearerToken("t") });
  const charge = await payments.POST("/v1/charges", { body: { amount: 1999 } });
  if (!charge.error) return charge.data.id ?? "";
  const error = charge.error;
  switch (error.code) {
    case "card_declined":
    case "expired_card":
    case "insufficient_credits":
      expectType<Equal<typeof error.body, PaymentError>>(true);
      expectType<Equal<typeof error.status, 402>>(true);
      return error.body.decline_code ?? error.body.message;
    case "NOT_FOUND":
      expectType<Equal<typeof error.body, NotFoundBody>>(true);
      expectType<Equal<typeof error.status, 404>>(true);
      return error.body.message;
    // @ts-expect-error not a code of this operation (its 402 declares an enum)
    case "PAYMENT_REQUIRED":
      return "never";
    // @ts-expect-error not a code of this operation
    case "card_velocity_exceeded":
      return "never";
    case "NETWORK_ERROR":
      expectType<Equal<typeof error.body, undefined>>(true);
      return error.message;
    default:
      return error.code;
  }
}

export async function declared402ByStatus(): Promise<string> {
  const payments = createPaymentsApiClient({ baseUrl: "https://api.payments.example.com", auth: bearerToken("t") });
  const charge = await payments.POST("/v1/charges", { body: { amount: 1999 } });
  if (!charge.error) return "ok";
  const error = charge.error;
  // An SDK error can carry a declared status too (a 402 whose body has an undeclared code is
  // UNEXPECTED_RESPONSE), so a bare status switch leaves the body possibly undefined.
  switch (error.status) {
    case 402:
      expectType<Equal<typeof error.body, PaymentError | undefined>>(true);
      return error.body?.code ?? error.code;
    case 404:
      expectType<Equal<typeof error.body, NotFoundBody | undefined>>(true);
      return error.body?.message ?? error.code;
    default:
      return error.code;
  }
}

/** The same narrowing by status once SDK errors are set aside: `isApiError` (or `instanceof ApiError`) gives the exact body per status. */
export async function declared402ByStatusOfApiError(): Promise<string> {
  const payments = createPaymentsApiClient({ baseUrl: "https://api.payments.example.com", auth: bearerToken("t") });
  const charge = await payments.POST("/v1/charges", { body: { amount: 1999 } });
  if (!charge.error) return "ok";
  const error = charge.error;
  if (!isApiError(error)) return error.code;
  switch (error.status) {
    case 402:
      expectType<Equal<typeof error.body, PaymentError>>(true);
      expectType<Equal<typeof error.code, PaymentError["code"]>>(true);
      return error.body.code;
    case 404:
      expectType<Equal<typeof error.body, NotFoundBody>>(true);
      return error.body.message;
  }
}

/** `instanceof ApiError` narrows the same way. */
export async function declared402ByInstanceof(): Promise<string> {
  const payments = createPaymentsApiClient({ baseUrl: "https://api.payments.example.com", auth: bearerToken("t") });
  const charge = await payments.POST("/v1/charges", { body: { amount: 1999 } });
  if (!charge.error || !(charge.error instanceof ApiError)) return "ok";
  const error = charge.error;
  return error.status === 404 ? error.body.message : error.code;
}
