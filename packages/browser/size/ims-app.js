// What a browser app that signs users in to IMS ships: @portico/browser + @portico/core + the IMS client.
export { beginSignIn, completeSignIn, restoreSession } from "@portico/browser";
export { createImsApiClient } from "@atrope-ai/api-client";
