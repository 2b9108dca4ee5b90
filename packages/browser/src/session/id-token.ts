/** The `nonce` claim of an ID token, read without verifying it (the token endpoint is trusted over TLS). */
export function idTokenNonce(idToken: string): string | undefined {
  const payload = idToken.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(
      Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""),
    );
    const claims = JSON.parse(json) as { nonce?: unknown };
    return typeof claims.nonce === "string" ? claims.nonce : undefined;
  } catch {
    return undefined;
  }
}
