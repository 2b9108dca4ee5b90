import { readJson, removeItem, writeJson, type StorageLike } from "../internal/web-storage.js";

/** What `beginSignIn` keeps for `completeSignIn`, in sessionStorage across the redirect. */
export interface PendingSignIn {
  readonly state: string;
  readonly codeVerifier: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly nonce?: string;
  /** Where the app wants to go once signed in. */
  readonly returnTo?: string;
  /** Epoch ms. */
  readonly createdAt: number;
}

const KEY = "portico:sign-in";
/** Pending sign-ins older than this are dropped (authorization codes live minutes, not hours). */
const MAX_AGE_MS = 30 * 60_000;
/** At most this many sign-ins pending at once (double clicks, several attempts). */
const MAX_PENDING = 5;

function isPending(value: unknown): value is PendingSignIn {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.state === "string" &&
    typeof v.codeVerifier === "string" &&
    typeof v.clientId === "string" &&
    typeof v.redirectUri === "string" &&
    typeof v.createdAt === "number" &&
    (v.nonce === undefined || typeof v.nonce === "string") &&
    (v.returnTo === undefined || typeof v.returnTo === "string")
  );
}

function readAll(storage: StorageLike, now: number): PendingSignIn[] {
  const stored = readJson(storage, KEY);
  if (!Array.isArray(stored)) return [];
  return stored.filter(isPending).filter((p) => now - p.createdAt < MAX_AGE_MS && p.createdAt <= now + 60_000);
}

/** Remembers a sign-in about to redirect; false when the storage refused it. */
export function savePendingSignIn(storage: StorageLike, pending: PendingSignIn): boolean {
  const kept = readAll(storage, pending.createdAt).slice(-(MAX_PENDING - 1));
  return writeJson(storage, KEY, [...kept, pending]);
}

/**
 * Takes the pending sign-in whose `state` is `state` (once: it is removed). When none matches,
 * every pending sign-in of the client is dropped, so a forged redirect also ends the real
 * attempt; `othersPending` tells a forged/stale state apart from a sign-in never started here.
 */
export function takePendingSignIn(
  storage: StorageLike,
  clientId: string,
  state: string | null,
  now: number,
): { pending: PendingSignIn | undefined; othersPending: boolean } {
  const all = readAll(storage, now);
  const mine = all.filter((p) => p.clientId === clientId);
  const match = state === null ? undefined : mine.find((p) => p.state === state);
  const rest = all.filter((p) => p.clientId !== clientId);
  if (rest.length === 0) removeItem(storage, KEY);
  else writeJson(storage, KEY, rest);
  return { pending: match, othersPending: match === undefined && mine.length > 0 };
}
