import type { HttpBindings } from "@hono/node-server";
import type { IntegrationData } from "./data-store.js";
import type { Integration, TokenRecord } from "./token-store.js";

/** What the EUDR guard puts on the Hono context for the handlers. */
export interface EudrAuth {
  readonly integration: Integration;
  readonly token: TokenRecord;
  readonly data: IntegrationData;
}

/** Hono environment of the EUDR sandbox app. */
export interface EudrEnv {
  /** The Node request and response under the Hono ones (the sync-log stream cuts its socket). */
  Bindings: HttpBindings;
  Variables: {
    requestId: string;
    auth: EudrAuth;
  };
}
