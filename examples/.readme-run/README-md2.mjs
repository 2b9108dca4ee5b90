import { createImsApiClient } from "@atrope-ai/api-client";
const accessToken = process.env.IMS_ACCESS_TOKEN;
const ims = createImsApiClient({
    baseUrl: "https://api.atrope.dev",
    fetcher: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, Authorization: `Bearer ${accessToken}` } }),
});
