/**
 * The test page: a small single-page app built on `@portico/browser`, `@portico/core` and the
 * generated IMS client, bundled by esbuild (test/support/app-server.ts) and driven by the
 * Chromium tests through `window.app`.
 */
import { createImsApiClient } from "@atrope-ai/api-client";
import { createArrotechApiClient } from "@arrotech/api-client";
import { PorticoError } from "@portico/core";
import {
  beginSignIn,
  completeSignIn,
  connectEvents,
  restoreSession,
  type BrowserSession,
  type BrowserSessionOptions,
  type EventsChannel,
  type EventsConnection,
} from "../../src/index.js";

export interface PageConfig {
  /** Which API the app signs in to: IMS (Auth0-style issuer) or Arrotech (hub + API origin). @default "ims" */
  readonly provider?: "ims" | "arrotech";
  readonly ims: {
    readonly authorizeUrl: string;
    readonly tokenUrl: string;
    readonly apiUrl: string;
    readonly clientId: string;
    readonly audience?: string;
    readonly scope: string;
  };
  readonly tokenStorage?: "memory" | "sessionStorage";
}

/** What a failure looks like to the test: the typed fields only. */
export interface ErrorInfo {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly oauthError?: string | undefined;
  /** The error's `cause`, when it is an `Error`. */
  readonly cause?: { readonly name: string; readonly message: string };
}

export interface CallInfo {
  readonly ok: boolean;
  readonly status: number | undefined;
  readonly code?: string | undefined;
  readonly sub?: string | undefined;
  readonly tenantId?: string | undefined;
  readonly items?: number | undefined;
}

const config = JSON.parse(document.getElementById("portico-config")?.textContent ?? "{}") as PageConfig;

const errorInfo = (error: unknown): ErrorInfo => ({
  name: error instanceof Error ? error.name : typeof error,
  code: error instanceof PorticoError ? String(error.code) : undefined,
  message: error instanceof Error ? error.message : String(error),
  oauthError: (error as { oauthError?: string }).oauthError,
  ...(error instanceof Error && error.cause instanceof Error ? { cause: { name: error.cause.name, message: error.cause.message } } : {}),
});

/** Token events of this tab: `fromCache: false` means this tab made the token request. */
const tokenEvents: { reason: string; fromCache: boolean }[] = [];

const sessionOptions: BrowserSessionOptions = {
  tokenUrl: config.ims.tokenUrl,
  clientId: config.ims.clientId,
  tokenStorage: config.tokenStorage ?? "memory",
  hooks: { onTokenRefresh: (event) => tokenEvents.push({ reason: event.reason, fromCache: event.fromCache }) },
};

let session: BrowserSession | undefined;
/** Resolves when this tab's session ends by a sign-out (here or in another tab): tests wait on it. */
let resolveSignedOut: () => void = () => {};
const signedOut = new Promise<void>((resolve) => (resolveSignedOut = resolve));
function use(started: BrowserSession | undefined): void {
  session = started;
  started?.onSignOut(() => resolveSignedOut());
}
/** What the tests read of an Atlas event (`AtlasEventMessage` of `@atlas-softpos/api-client` has it all). */
export interface StreamEvent {
  readonly type: string;
  readonly id: string;
  readonly data?: { readonly id?: string; readonly amount?: number; readonly currency?: string };
}

/** The sandbox's Atlas stream, as the generated client declares it (`atlasEvents`), with the part of its message the tests read. */
const atlasEvents: EventsChannel<StreamEvent> = { path: "/v1/events" };

let events: StreamEvent[] = [];
/** Checks run on every event received: tests wait for an event, not for a poll to see it. */
const eventWaiters = new Set<() => void>();
let eventErrors: ErrorInfo[] = [];
let stream: EventsConnection | undefined;

async function start(): Promise<{ signedIn: boolean; via: "redirect" | "restore"; returnTo?: string | undefined; error?: ErrorInfo }> {
  const url = new URL(location.href);
  if (url.searchParams.has("code") || url.searchParams.has("error")) {
    try {
      const completed = await completeSignIn(url, sessionOptions);
      use(completed);
      return { signedIn: true, via: "redirect", returnTo: completed.returnTo };
    } catch (error) {
      return { signedIn: false, via: "redirect", error: errorInfo(error) };
    }
  }
  use(await restoreSession(sessionOptions));
  return { signedIn: session !== undefined, via: "restore" };
}

/** Starts the sign-in; with `navigate`, the page leaves for the authorize endpoint. */
async function signIn(options: { navigate?: boolean; nonce?: boolean } = {}): Promise<string> {
  const { url } = await beginSignIn({
    authorizeUrl: config.ims.authorizeUrl,
    clientId: config.ims.clientId,
    redirectUri: `${location.origin}/callback`,
    scope: config.ims.scope,
    ...(config.ims.audience !== undefined ? { audience: config.ims.audience } : {}),
    returnTo: "/inventory",
    ...(options.nonce ? { nonce: true } : {}),
    ...(options.navigate ? { navigate: true } : {}),
  });
  return url;
}

const app = {
  started: start(),
  signIn,
  /** `signIn`, settled: the authorize URL, or the typed fields of the failure (a rejection reaches the test as text only). */
  async trySignIn(options: { navigate?: boolean } = {}): Promise<{ ok: true; url: string } | { ok: false; error: ErrorInfo }> {
    try {
      return { ok: true, url: await signIn(options) };
    } catch (error) {
      return { ok: false, error: errorInfo(error) };
    }
  },
  /** A typed call through the generated IMS client with the session's credential. */
  async whoAmI(): Promise<CallInfo> {
    if (session === undefined) return { ok: false, status: undefined, code: "NOT_SIGNED_IN" };
    if (config.provider === "arrotech") {
      const hub = createArrotechApiClient({ baseUrl: config.ims.apiUrl, auth: session.credential });
      const me = await hub.GET("/auth/me");
      if (me.error) return { ok: false, status: me.error.status, code: String(me.error.code) };
      const providers = await hub.GET("/chat/providers");
      if (providers.error) return { ok: false, status: providers.error.status, code: String(providers.error.code) };
      return { ok: true, status: 200, sub: `${me.data.type}:${me.data.id}`, tenantId: me.data.workspaceId, items: providers.data.data.length };
    }
    const ims = createImsApiClient({ baseUrl: config.ims.apiUrl, auth: session.credential });
    const me = await ims.GET("/v1/me");
    if (me.error) return { ok: false, status: me.error.status, code: String(me.error.code) };
    const items = await ims.GET("/v1/items", { params: { query: { limit: 5 } } });
    if (items.error) return { ok: false, status: items.error.status, code: String(items.error.code) };
    return { ok: true, status: 200, sub: me.data.subject, tenantId: me.data.tenantId, items: items.data.data.length };
  },
  info() {
    const stored: string[] = [];
    for (const storage of [sessionStorage, localStorage]) {
      for (let i = 0; i < storage.length; i += 1) stored.push(storage.key(i) ?? "");
    }
    return {
      href: location.href,
      signedIn: session !== undefined,
      storage: session?.storage,
      coordination: session?.coordination,
      expiresAt: session?.expiresAt(),
      now: Date.now(),
      tokenEvents,
      webStorageKeys: stored,
      webStorageText: stored.map((key) => sessionStorage.getItem(key) ?? localStorage.getItem(key) ?? "").join("\n"),
      credentialJson: JSON.stringify(session?.credential ?? null),
    };
  },
  signOut() {
    session?.signOut();
  },
  /** Resolves once this tab has seen the session signed out. */
  signedOut: () => signedOut,
  async connectEvents(baseUrl: string, apiKey: string): Promise<{ ok: true } | { ok: false; error: ErrorInfo }> {
    events = [];
    eventErrors = [];
    try {
      stream = await connectEvents(atlasEvents, {
        baseUrl,
        apiKey,
        reconnect: false,
        onEvent: (event) => {
          events.push(event);
          for (const check of [...eventWaiters]) check();
        },
        onError: (error) => eventErrors.push(errorInfo(error)),
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, error: errorInfo(error) };
    }
  },
  events: () => ({ events, errors: eventErrors }),
  /** Resolves once an event whose `data.id` is `id` has arrived on the stream. */
  eventArrived(id: string): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (!events.some((event) => event.data?.id === id)) return;
        eventWaiters.delete(check);
        resolve();
      };
      eventWaiters.add(check);
      check();
    });
  },
  closeEvents() {
    stream?.close();
  },
};

declare global {
  interface Window {
    app: typeof app;
  }
}
window.app = app;
