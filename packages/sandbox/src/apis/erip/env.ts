import type { ApiKeyRecord } from "./api-keys.js";
import type { Tenant, User } from "./directory.js";

/** Who is calling, after the credential was checked. */
export type EripCaller =
  | { readonly kind: "jwt"; readonly user: User; readonly tenant: Tenant; readonly tenantRole: "Admin" | "Member" }
  | { readonly kind: "userKey"; readonly user: User; readonly tenant: Tenant; readonly key: ApiKeyRecord }
  | { readonly kind: "serviceKey"; readonly user: null; readonly tenant: Tenant; readonly key: ApiKeyRecord };

/** Hono environment of the ERIP sandbox app. */
export interface EripEnv {
  Variables: {
    requestId: string;
    caller: EripCaller;
  };
}
