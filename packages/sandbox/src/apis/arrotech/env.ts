/** Hono environment shared by the Arrotech API routes. */
import type { Scope } from "./scopes.js";

/** Who a request is attributed to, after its bearer credential was checked. */
export interface ArrotechPrincipal {
  /** `api_key`, `oauth_client` (client credentials), `oauth_user` (authorization code), `user` (`/auth/login`). */
  readonly type: "api_key" | "oauth_client" | "oauth_user" | "user";
  /** Key id, client id or user id. */
  readonly id: string;
  readonly workspaceId: string;
  readonly scopes: readonly Scope[];
}

export type ArrotechEnv = { Variables: { requestId: string; principal: ArrotechPrincipal } };
