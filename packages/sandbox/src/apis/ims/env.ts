/** Hono environment shared by the IMS API routes. */
import type { Permission } from "./permissions.js";

/** Who a request is attributed to, after the token was verified (or dev mode attributed it). */
export interface ImsPrincipal {
  readonly tenantId: string;
  readonly subject: string;
  readonly permissions: readonly Permission[];
  readonly authMode: "jwt" | "dev";
}

export type ImsEnv = { Variables: { requestId: string; principal: ImsPrincipal } };
