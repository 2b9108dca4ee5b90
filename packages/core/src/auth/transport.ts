import { PorticoError } from "../errors/portico-error.js";
import type { Credential } from "./credential.js";

/** Whether `hostname` (as `URL.hostname` gives it) is this machine: `localhost`, 127.0.0.0/8, `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]" || host === "::1") return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Whether a URL may carry a credential: `https:` anywhere, `http:` only to loopback. */
export function isSecureTransport(url: string | URL): boolean {
  const parsed = typeof url === "string" ? new URL(url) : url;
  if (parsed.protocol === "https:" || parsed.protocol === "wss:") return true;
  if (parsed.protocol === "http:" || parsed.protocol === "ws:") return isLoopbackHost(parsed.hostname);
  return false;
}

/**
 * Refuses to send a credential over plain `http://` to anything but loopback.
 * Returns `INSECURE_TRANSPORT`, or `undefined` when the request may go (always for `none`).
 */
export function checkTransport(url: string | URL, credential: Pick<Credential, "kind" | "fingerprint">): PorticoError | undefined {
  if (credential.kind === "none") return undefined;
  // The common case, decided without parsing the URL.
  if (typeof url === "string" && url.startsWith("https://")) return undefined;
  const parsed = typeof url === "string" ? new URL(url) : url;
  if (credential.kind === "mutualTLS" && parsed.protocol !== "https:" && parsed.protocol !== "wss:") {
    return new PorticoError(
      "INSECURE_TRANSPORT",
      `The client certificate ${credential.fingerprint} is presented only over TLS; ${parsed.protocol}// to ${parsed.host} would carry none. Use https.`,
      { credential: credential.fingerprint },
    );
  }
  if (isSecureTransport(parsed)) return undefined;
  return new PorticoError(
    "INSECURE_TRANSPORT",
    `Refusing to send credential ${credential.fingerprint} over ${parsed.protocol}// to ${parsed.host}: use https (plain http is allowed only to loopback).`,
    { credential: credential.fingerprint },
  );
}
