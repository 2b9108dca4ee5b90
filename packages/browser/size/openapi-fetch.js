// openapi-fetch on its own, for comparison: the typed fetch wrapper portico's clients build on.
export { default } from "openapi-fetch";
