// The IMS client with @portico/core and no @portico/browser: what the browser package adds is the difference.
export { createImsApiClient } from "@atrope-ai/api-client";
