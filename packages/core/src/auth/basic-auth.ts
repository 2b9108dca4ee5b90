import { PorticoError } from "../errors/portico-error.js";
import type { Credential } from "./credential.js";
import { requireString } from "./options.js";
import { StaticCredential } from "./static-credential.js";

/**
 * HTTP Basic authentication (RFC 7617): sent as `Authorization: Basic base64(username:password)`
 * where the spec's scheme is `http` `basic` (Twilio's account SID and auth token, Stripe's secret
 * key as the user name).
 * @example basicAuth(process.env.TWILIO_ACCOUNT_SID!, process.env.TWILIO_AUTH_TOKEN!)
 */
export function basicAuth(username: string, password = ""): Credential<"basic"> {
  const user = requireString("basicAuth", "username", username);
  if (user.includes(":")) {
    throw new PorticoError("INVALID_OPTIONS", 'basicAuth: "username" must not contain ":" (RFC 7617); check the argument order.', { option: "username" });
  }
  if (typeof password !== "string") throw new PorticoError("INVALID_OPTIONS", 'basicAuth: "password" must be a string.', { option: "password" });
  return new StaticCredential("basic", `${user}:${password}`, `basic:${user.length > 24 ? `${user.slice(0, 8)}…` : user}`);
}
