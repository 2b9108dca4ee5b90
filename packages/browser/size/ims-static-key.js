// A static-key IMS client: what an app that holds its own token ships.
import { createImsApiClient } from "@atrope-ai/api-client";
import { bearerToken } from "@portico/core";

export const client = createImsApiClient({ baseUrl: "https://api.atrope.dev", auth: bearerToken("token-from-the-app") });
