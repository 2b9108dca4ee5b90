// A Vite app: the generated client calls the API on another origin with a static bearer token, and
// @portico/browser starts a PKCE sign-in (Web Crypto, sessionStorage). The page's address carries
// the API origin and the token (`?api=…&token=…`); the outcome goes to `window.__result`.
import { createImsApiClient } from "@atrope-ai/api-client";
import { bearerToken, isPorticoError } from "@portico/core";
import { beginSignIn } from "@portico/browser";

declare global {
  interface Window {
    __result?: unknown;
  }
}

async function main(): Promise<unknown> {
  const params = new URL(location.href).searchParams;
  const ims = createImsApiClient({ baseUrl: params.get("api") ?? "", auth: bearerToken(params.get("token") ?? ""), retry: false });
  const { data, error } = await ims.GET("/v1/items", { params: { query: { limit: 2 } } });
  const { url } = await beginSignIn({
    authorizeUrl: "https://auth.example.com/authorize",
    clientId: "spa-client",
    redirectUri: `${location.origin}/callback`,
    scope: ["catalog:read"],
  });
  const signIn = new URL(url).searchParams;
  return {
    skus: data?.data.map((item) => item.sku),
    error: error ? { code: error.code, message: error.message } : undefined,
    pkce: signIn.get("code_challenge_method") === "S256" && (signIn.get("code_challenge") ?? "").length === 43,
  };
}

main().then(
  (result) => {
    window.__result = result;
    document.getElementById("result")!.textContent = JSON.stringify(result);
  },
  (thrown: unknown) => {
    window.__result = { thrown: isPorticoError(thrown) ? `${thrown.code}: ${thrown.message}` : String(thrown) };
  },
);
