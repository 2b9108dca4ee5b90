import { createAtlasApiClient } from "@atlas-softpos/api-client";
import { apiKey, clientCredentials } from "@portico/core";
// Local LAN POS: a static X-Api-Key, rotatable on the live client.
const key = apiKey("sk_test_KaiCafeMerchant0001");
const pos = createAtlasApiClient({ baseUrl: "https://sandbox.api.atlas-softpos.com", auth: key });
key.rotate("sk_test_KaiCafeMerchant0002"); // calls in flight finish with the old key
// Cloud POS: client credentials bound to a terminal, refreshed before expiry.
const cloud = createAtlasApiClient({
    baseUrl: "https://sandbox.api.atlas-softpos.com",
    auth: clientCredentials({
        tokenUrl: "https://auth.atlas-softpos.com/v1/token",
        clientId: "cli_01JQABC123456",
        clientSecret: "cs_test_example",
        scope: ["terminal:read", "transactions:write"],
        extraParams: { terminal_id: "TID-00012345" },
        bodyEncoding: "json",
    }),
});
void pos;
void cloud;
