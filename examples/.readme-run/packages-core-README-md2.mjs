import { createImsApiClient } from "@atrope-ai/api-client";
import { clientCredentials, createTenantPool } from "@portico/core";
// Your store of each tenant's client credentials.
const secrets = new Map([
    ["3f1c9a6e-8b2d-4c7a-9e5f-1a2b3c4d5e6f", { clientId: process.env.IMS_CLIENT_ID, clientSecret: process.env.IMS_CLIENT_SECRET }],
]);
const pool = createTenantPool({
    max: 1_000,
    idleMs: 15 * 60_000,
    create: (tenant) => {
        const { clientId, clientSecret } = secrets.get(tenant);
        return createImsApiClient({
            auth: clientCredentials({
                tokenUrl: "https://atrope.us.auth0.com/oauth/token",
                clientId,
                clientSecret,
                audience: "https://api.atrope.dev",
                bodyEncoding: "json",
                tenant, // the token's https://atrope.dev/claims/tenant_id must match, or TENANT_MISMATCH
            }),
        });
    },
});
const { data } = await pool.get("3f1c9a6e-8b2d-4c7a-9e5f-1a2b3c4d5e6f").GET("/v1/inventory/balances");
void data;
