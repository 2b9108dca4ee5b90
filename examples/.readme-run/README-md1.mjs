import { createImsApiClient } from "@atrope-ai/api-client";
import { clientCredentials } from "@portico/core";
const ims = createImsApiClient({
    baseUrl: "https://api.atrope.dev",
    auth: clientCredentials({
        tokenUrl: "https://atrope.us.auth0.com/oauth/token",
        clientId: process.env.IMS_CLIENT_ID,
        clientSecret: process.env.IMS_CLIENT_SECRET,
        audience: "https://api.atrope.dev",
        bodyEncoding: "json",
    }),
});
const { data, error, meta } = await ims.GET("/v1/items", { params: { query: { limit: 20 } } });
if (error) {
    switch (error.code) { // the spec's codes for this operation | the SDK's own codes
        case "INSUFFICIENT_PERMISSIONS":
            console.error("the token lacks catalog:read");
            break;
        case "NETWORK_ERROR":
            console.error("no answer; safe calls were retried", meta.attempts);
            break;
        default: console.error(error.code, error.message);
    }
}
else {
    console.log(data.data.map((item) => item.sku), data.nextCursor);
}
