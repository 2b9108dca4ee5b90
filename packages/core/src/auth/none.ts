import type { Credential } from "./credential.js";
import { StaticCredential } from "./static-credential.js";

/**
 * No credential at all, for APIs running without authentication (IMS `AUTH_MODE=dev`):
 * satisfies every security requirement and sends nothing. Never use against production.
 */
export function none(): Credential<"none"> {
  return new StaticCredential("none", undefined, "none");
}
