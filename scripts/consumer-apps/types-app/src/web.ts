// A strict browser module: @portico/browser with a generated client.
import { createImsApiClient } from "@atrope-ai/api-client";
import { beginSignIn, createSharedTokenCache, createTokenSlot } from "@portico/browser";

export async function signIn(): Promise<string> {
  const { url } = await beginSignIn({
    authorizeUrl: "https://atrope.us.auth0.com/authorize",
    clientId: "spa-client",
    redirectUri: "https://app.example.com/callback",
    audience: "https://api.atrope.dev",
    scope: ["catalog:read"],
  });
  return url;
}

export const cache = createSharedTokenCache({ name: "ims", slot: createTokenSlot("sessionStorage", "ims") });
export const ims = createImsApiClient({ baseUrl: "https://api.atrope.dev" });
