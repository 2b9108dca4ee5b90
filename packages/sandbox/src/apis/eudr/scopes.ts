/** The nine token scopes of the Nentropy EUDR Integration API, as the seed lists them. */
export const EUDR_SCOPES = [
  "integration:suppliers:read",
  "integration:suppliers:write",
  "integration:products:read",
  "integration:products:write",
  "integration:batches:read",
  "integration:batches:write",
  "integration:dds:read",
  "integration:webhooks:manage",
  "integration:sync:read",
] as const;

/** One EUDR token scope. */
export type EudrScope = (typeof EUDR_SCOPES)[number];

/** True when `value` is one of the nine scopes. */
export function isEudrScope(value: string): value is EudrScope {
  return (EUDR_SCOPES as readonly string[]).includes(value);
}
