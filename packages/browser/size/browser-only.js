// All of @portico/browser, with @portico/core left out (counted in the app entry).
export * from "@portico/browser";
