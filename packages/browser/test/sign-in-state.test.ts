import { describe, expect, it } from "vitest";
import type { StorageLike } from "../src/internal/web-storage.js";
import { savePendingSignIn, takePendingSignIn, type PendingSignIn } from "../src/sign-in/pending-sign-in.js";
import { withoutRedirectParams } from "../src/sign-in/address-bar.js";
import { readRedirect } from "../src/sign-in/redirect-params.js";

/** A Web Storage stand-in backed by a Map (sessionStorage has exactly these semantics per tab). */
function mapStorage(): StorageLike & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

const pending = (state: string, createdAt = Date.now(), clientId = "spa"): PendingSignIn => ({
  state,
  codeVerifier: `verifier-${state}`,
  clientId,
  redirectUri: "http://127.0.0.1/callback",
  createdAt,
});

describe("readRedirect", () => {
  it.each([
    { given: "http://app/cb?code=abc&state=s1", want: { kind: "code", code: "abc", state: "s1" } },
    { given: "http://app/cb?error=access_denied&error_description=No&state=s1", want: { kind: "error", error: "access_denied", description: "No", state: "s1" } },
    { given: "http://app/cb#code=frag&state=s2", want: { kind: "code", code: "frag", state: "s2" } },
    { given: "http://app/cb?state=s3", want: { kind: "none", state: "s3" } },
    { given: "http://app/cb", want: { kind: "none", state: null } },
  ])("reads $given", ({ given, want }) => {
    expect(readRedirect(new URL(given))).toEqual(want);
  });

  it("bounds what it keeps of an error description", () => {
    const result = readRedirect(new URL(`http://app/cb?error=x&error_description=${"d".repeat(1000)}`));
    expect(result.kind === "error" && result.description?.length).toBe(300);
  });
});

describe("withoutRedirectParams", () => {
  it.each([
    { given: "http://app/cb?code=abc&state=s&iss=x&tab=2", want: "http://app/cb?tab=2" },
    { given: "http://app/cb?error=access_denied&error_description=No&state=s", want: "http://app/cb" },
    { given: "http://app/cb#code=abc&state=s", want: "http://app/cb" },
    { given: "http://app/cb#section", want: "http://app/cb#section" },
  ])("cleans $given", ({ given, want }) => {
    expect(withoutRedirectParams(new URL(given))).toBe(want);
  });
});

describe("pending sign-ins", () => {
  it("are taken once, by their state", () => {
    const storage = mapStorage();
    expect(savePendingSignIn(storage, pending("s1"))).toBe(true);
    expect(takePendingSignIn(storage, "spa", "s1", Date.now())).toEqual({ pending: pending("s1", expect.any(Number) as unknown as number), othersPending: false });
    expect(takePendingSignIn(storage, "spa", "s1", Date.now())).toEqual({ pending: undefined, othersPending: false });
    expect(storage.items.size).toBe(0);
  });

  it("drop every pending sign-in of the client on a state that matches none", () => {
    const storage = mapStorage();
    savePendingSignIn(storage, pending("s1"));
    savePendingSignIn(storage, pending("other", Date.now(), "another-client"));
    expect(takePendingSignIn(storage, "spa", "forged", Date.now())).toEqual({ pending: undefined, othersPending: true });
    expect(takePendingSignIn(storage, "spa", "s1", Date.now()).pending).toBeUndefined();
    expect(takePendingSignIn(storage, "another-client", "other", Date.now()).pending?.state).toBe("other");
  });

  it("expire after 30 minutes and keep at most five", () => {
    const storage = mapStorage();
    const now = Date.now();
    savePendingSignIn(storage, pending("old", now - 31 * 60_000));
    for (let i = 0; i < 6; i += 1) savePendingSignIn(storage, pending(`s${i}`, now));
    const kept = JSON.parse(storage.items.get("portico:sign-in") ?? "[]") as PendingSignIn[];
    expect(kept.map((p) => p.state)).toEqual(["s1", "s2", "s3", "s4", "s5"]);
  });

  it("ignore storage content that is not a pending sign-in", () => {
    const storage = mapStorage();
    storage.setItem("portico:sign-in", JSON.stringify([{ state: "s1" }, "junk", null]));
    expect(takePendingSignIn(storage, "spa", "s1", Date.now())).toEqual({ pending: undefined, othersPending: false });
    storage.setItem("portico:sign-in", "{not json");
    expect(takePendingSignIn(storage, "spa", "s1", Date.now()).pending).toBeUndefined();
  });
});
