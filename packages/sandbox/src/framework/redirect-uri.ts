/** Redirect URI matching of the sandboxes' authorization endpoints. */

/**
 * Whether `candidate` is a registered redirect URI: exact, or a loopback `http` URI registered
 * without a port and presented with any port (RFC 8252 §7.3, native apps).
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export function redirectUriAllowed(registered: readonly string[], candidate: string): boolean {
  if (registered.includes(candidate)) return true;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" || !["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return false;
  url.port = "";
  return registered.includes(url.toString());
}
