import type { CachedToken } from "@portico/core";

/** Messages tabs of one origin exchange about one session. */
export type TabMessage =
  /** A tab obtained or adopted a token. */
  | { readonly t: "token"; readonly from: string; readonly token: CachedToken }
  /** A tab dropped a token the API refused. */
  | { readonly t: "drop"; readonly from: string; readonly accessToken: string }
  /** A tab signed out: every tab forgets the session. */
  | { readonly t: "sign-out"; readonly from: string }
  /** "Who has the session's token?" */
  | { readonly t: "query"; readonly from: string }
  /** Fallback lock (no Web Locks): claim, hold and release of the refresh lock. */
  | { readonly t: "lock-claim"; readonly from: string; readonly id: string; readonly at: number }
  | { readonly t: "lock-held"; readonly from: string; readonly id: string }
  | { readonly t: "lock-release"; readonly from: string; readonly id: string };

/** One BroadcastChannel per session; messages from one tab arrive in the order it posted them. */
export interface TabChannel {
  /** This tab's random id. */
  readonly tabId: string;
  /** Whether other tabs can hear this one (BroadcastChannel exists). */
  readonly connected: boolean;
  post(message: TabMessage): void;
  /** Adds a listener for other tabs' messages; returns its remover. */
  listen(listener: (message: TabMessage) => void): () => void;
  close(): void;
}

/** A random id (not a secret). */
export function randomId(): string {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function isTabMessage(value: unknown): value is TabMessage {
  return typeof value === "object" && value !== null && typeof (value as { t?: unknown }).t === "string" && typeof (value as { from?: unknown }).from === "string";
}

/** Opens the channel `name`; without BroadcastChannel it is a channel to nobody. */
export function openTabChannel(name: string): TabChannel {
  const tabId = randomId();
  const listeners = new Set<(message: TabMessage) => void>();
  const Channel = (globalThis as { BroadcastChannel?: typeof BroadcastChannel }).BroadcastChannel;
  let channel: BroadcastChannel | undefined;
  try {
    channel = Channel === undefined ? undefined : new Channel(name);
  } catch {
    channel = undefined;
  }
  if (channel !== undefined) {
    channel.onmessage = (event: MessageEvent<unknown>) => {
      const message = event.data;
      if (!isTabMessage(message) || message.from === tabId) return;
      for (const listener of listeners) {
        try {
          listener(message);
        } catch {
          // One listener's failure does not silence the others.
        }
      }
    };
  }
  return {
    tabId,
    connected: channel !== undefined,
    post(message) {
      try {
        channel?.postMessage(message);
      } catch {
        // A closed channel: this tab is going away.
      }
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      channel?.close();
      channel = undefined;
    },
  };
}
