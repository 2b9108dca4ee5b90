/**
 * A single-page inventory viewer that signs users in to IMS with Authorization Code + PKCE and
 * shares the session across tabs, plus a live Atlas event feed. Served by `serve.mjs` against the
 * sandbox; point the config at your Auth0 tenant and API in a real app.
 */
import { atlasEvents } from "@atlas-softpos/api-client";
import { createImsApiClient } from "@atrope-ai/api-client";
import { beginSignIn, completeSignIn, connectEvents, restoreSession, type BrowserSession } from "@portico/browser";

interface AppConfig {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly audience: string;
  readonly apiUrl: string;
  /** Atlas API base URL: the event stream's path comes from the generated `atlasEvents` channel. */
  readonly atlasApiUrl?: string;
  readonly atlasApiKey?: string;
}

const config = JSON.parse(document.getElementById("config")?.textContent ?? "{}") as AppConfig;
const auth = { tokenUrl: config.tokenUrl, clientId: config.clientId };
const $ = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
const show = (id: string, text: string): void => {
  $(id).textContent = text;
};

async function signIn(): Promise<void> {
  await beginSignIn({
    authorizeUrl: config.authorizeUrl,
    clientId: config.clientId,
    redirectUri: `${location.origin}/callback`,
    scope: "openid offline_access catalog:read inventory:read",
    audience: config.audience,
    nonce: true,
    returnTo: "/",
    navigate: true,
  });
}

async function loadInventory(session: BrowserSession): Promise<void> {
  const ims = createImsApiClient({ baseUrl: config.apiUrl, auth: session.credential });
  const me = await ims.GET("/v1/me");
  if (me.error) {
    show("status", `IMS refused: ${me.error.code}`);
    return;
  }
  show("status", `Signed in as ${me.data.subject} (tenant ${me.data.tenantId}); token in ${session.storage}, tabs coordinate with ${session.coordination}.`);
  const items = await ims.GET("/v1/items", { params: { query: { limit: 20 } } });
  const list = $("items");
  list.replaceChildren();
  for (const item of items.data?.data ?? []) {
    const li = document.createElement("li");
    li.textContent = `${item.sku} — ${item.name}`;
    list.append(li);
  }
}

async function main(): Promise<void> {
  let session: BrowserSession | undefined;
  try {
    if (new URLSearchParams(location.search).has("code") || new URLSearchParams(location.search).has("error")) {
      const completed = await completeSignIn(location.href, auth);
      session = completed;
      if (completed.returnTo) history.replaceState(null, "", completed.returnTo);
    } else {
      session = await restoreSession(auth);
    }
  } catch (error) {
    show("status", `Sign-in failed: ${(error as { code?: string }).code ?? String(error)}`);
  }
  $("sign-in").hidden = session !== undefined;
  $("sign-out").hidden = session === undefined;
  $("sign-in").onclick = () => void signIn();
  if (session === undefined) {
    show("status", "Not signed in.");
  } else {
    const current = session;
    $("sign-out").onclick = () => current.signOut();
    current.onSignOut(() => location.reload());
    $("refresh").onclick = () => void loadInventory(current);
    await loadInventory(current);
  }

  if (config.atlasApiUrl && config.atlasApiKey) {
    // Browsers cannot set headers on a WebSocket upgrade: the key travels as ?apiKey= (see the
    // README). Events are typed as the spec's `AtlasEventMessage`, from the channel.
    await connectEvents(atlasEvents, {
      baseUrl: config.atlasApiUrl,
      apiKey: config.atlasApiKey,
      onEvent: (event) => {
        const li = document.createElement("li");
        li.textContent = `${new Date().toLocaleTimeString()} ${event.type} ${event.id}`;
        $("events").prepend(li);
      },
      onError: (error) => show("events-status", error.code),
    }).then(
      () => show("events-status", "connected"),
      (error: { code?: string }) => show("events-status", `not connected: ${error.code ?? "error"}`),
    );
  }
}

void main();
