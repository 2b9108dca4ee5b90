import type { Credential } from "./credential.js";
import { defineCredential } from "./define-credential.js";

const NOTHING = { all: [] };

/**
 * No credential at all, for APIs running without authentication (IMS `AUTH_MODE=dev`):
 * satisfies every security requirement and sends nothing. Never use against production.
 */
export function none(): Credential<"none"> {
  return defineCredential("none", () => "none", { authorize: () => ({}) }, () => NOTHING);
}
