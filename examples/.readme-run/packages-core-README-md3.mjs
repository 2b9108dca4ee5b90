import { createImsApiClient } from "@atrope-ai/api-client";
const accessToken = "token-from-your-own-flow";
const ims = createImsApiClient({
    baseUrl: "https://api.atrope.dev",
    fetcher: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, Authorization: `Bearer ${accessToken}` } }),
    hooks: {
        onRetry: ({ operation, attempt, delayMs }) => console.log(`retrying ${operation} (#${attempt}) in ${delayMs} ms`),
        onRateLimit: (rateLimit) => console.log("calls left in this window", rateLimit.remaining),
    },
});
void ims;
