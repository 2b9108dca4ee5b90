import { beginSignIn, completeSignIn, restoreSession } from "@portico/browser";
import { createImsApiClient } from "@atrope-ai/api-client";
const auth = { tokenUrl: "https://YOUR_AUTH0_DOMAIN/oauth/token", clientId: "YOUR_SPA_CLIENT_ID" };
// 1. Somewhere in the app: send the user to the authorization server.
await beginSignIn({
    authorizeUrl: "https://YOUR_AUTH0_DOMAIN/authorize",
    clientId: auth.clientId,
    redirectUri: `${location.origin}/callback`,
    scope: "openid offline_access catalog:read", // offline_access: Auth0 issues a refresh token
    audience: "https://api.atrope.dev",
    nonce: true, // OIDC: the ID token's nonce is checked
    returnTo: location.pathname,
    navigate: true, // or take the returned { url } and navigate yourself
});
// 2. On /callback: check state, exchange the code, clean the address bar.
const session = await completeSignIn(location.href, auth);
// 3. In any other tab (or after a reload): pick up the session if one is open.
const restored = await restoreSession(auth); // undefined: no tab holds a session, sign in
const ims = createImsApiClient({ baseUrl: "https://api.atrope.dev", auth: session.credential });
const { data, error } = await ims.GET("/v1/me");
