// A strict server app on every published library's types (ES module).
import { createArrotechApiClient } from "@arrotech/api-client";
import { atlasEvents, createAtlasApiClient } from "@atlas-softpos/api-client";
import { createImsApiClient } from "@atrope-ai/api-client";
import { createEripApiClient } from "@erip/api-client";
import { createEudrApiClient } from "@nentropy/api-client";
import { generate, type GenerateResult } from "@portico/codegen";
import { apiKey, bearerToken, clientCredentials, isApiError, isPorticoError } from "@portico/core";
import { connectEvents, createRedisTokenCache, nodeFetcher, type SocketOptions } from "@portico/node";

type IsAny<T> = 0 extends 1 & T ? true : false;
// The WebSocket options are typed, with no @types/ws installed.
export const webSocketIsTyped: [IsAny<SocketOptions<unknown>["WebSocket"]>, IsAny<SocketOptions<unknown>["clientOptions"]>] = [false, false];

export async function listItems(): Promise<string> {
  const ims = createImsApiClient({
    baseUrl: "https://api.atrope.dev",
    fetcher: nodeFetcher,
    auth: clientCredentials({
      tokenUrl: "https://atrope.us.auth0.com/oauth/token",
      clientId: "client",
      clientSecret: "secret",
      audience: "https://api.atrope.dev",
      softWindowMs: 120_000,
      cache: createRedisTokenCache({ redis: "redis://127.0.0.1:6379" }),
    }),
  });
  const { data, error } = await ims.GET("/v1/items", { params: { query: { limit: 20 } } });
  if (error) {
    if (isApiError(error)) {
      const code: "VALIDATION_ERROR" | "UNAUTHORIZED" | "TOKEN_EXPIRED" | "INVALID_TOKEN" | "INSUFFICIENT_PERMISSIONS" | "RATE_LIMITED" = error.code;
      return `${error.status} ${code}`;
    }
    return error.code;
  }
  return data.data.map((item) => item.sku).join(",");
}

export function everyClient(): unknown[] {
  const socket = connectEvents(atlasEvents, { baseUrl: "https://sandbox.api.atlas-softpos.com", apiKey: "sk_test_key", onEvent: (event) => void event.type });
  socket.close();
  return [
    createEudrApiClient({ auth: bearerToken("eudr_test_token") }),
    createAtlasApiClient({ baseUrl: "http://192.168.1.20:8080", auth: apiKey("sk_test_key") }),
    createArrotechApiClient({ auth: bearerToken("arrotech_key") }),
    createEripApiClient({ auth: apiKey("erip_key") }),
  ];
}

export function describe(value: unknown): string {
  return isPorticoError(value) ? value.code : "other";
}

/** Generation from a build script, typed by @portico/codegen. */
export function regenerate(): Promise<GenerateResult> {
  return generate({ spec: "specs/ims.yaml", out: "src/generated", check: true });
}
