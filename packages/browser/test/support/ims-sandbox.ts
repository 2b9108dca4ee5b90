import { startSandbox, type RunningSandbox } from "@portico/sandbox";
import type { PageConfig } from "../chromium/app.js";

/** The parts of the IMS sandbox's `control` these tests read. */
export interface ImsControlView {
  readonly tokenUrl: string;
  readonly authorizeUrl: string;
  readonly audience: string;
  readonly clients: { readonly spa: { readonly clientId: string } };
  readonly users: Readonly<Record<string, { readonly sub: string; readonly tenantId: string }>>;
  readonly tokenRequests: { readonly byGrant: Readonly<Record<"client_credentials" | "authorization_code" | "refresh_token", number>> };
  denyNextAuthorization(count?: number): void;
}

export interface ImsSandbox {
  readonly sandbox: RunningSandbox<"ims">;
  readonly control: ImsControlView;
  readonly apiUrl: string;
  /** Page config for the test app against this sandbox. */
  pageConfig(extra?: Partial<PageConfig>): PageConfig;
}

/** Starts the IMS sandbox (Auth0-style issuer + API) on loopback. */
export async function startImsSandbox(tokenLifetimeSeconds?: number): Promise<ImsSandbox> {
  const sandbox = await startSandbox({
    apis: ["ims"],
    ...(tokenLifetimeSeconds !== undefined ? { options: { ims: { tokenLifetimeSeconds } } } : {}),
  });
  const control = sandbox.apis.ims.control as unknown as ImsControlView;
  const apiUrl = sandbox.urls.ims.api;
  return {
    sandbox,
    control,
    apiUrl,
    pageConfig: (extra = {}) => ({
      ims: {
        authorizeUrl: control.authorizeUrl,
        tokenUrl: control.tokenUrl,
        apiUrl,
        clientId: control.clients.spa.clientId,
        audience: control.audience,
        scope: "openid offline_access catalog:read",
      },
      ...extra,
    }),
  };
}
