/** OAuth scopes of the Arrotech Hub API (the seed names `data:read` and `workflow:execute`). */
export const SCOPES = ["data:read", "data:write", "workflow:read", "workflow:execute", "chat:read", "chat:write"] as const;

export type Scope = (typeof SCOPES)[number];

export const READ_SCOPES: readonly Scope[] = ["data:read", "workflow:read", "chat:read"];

export function isScope(value: unknown): value is Scope {
  return typeof value === "string" && (SCOPES as readonly string[]).includes(value);
}

/** Splits a space-separated scope string; `undefined` when any entry is unknown. */
export function parseScopes(value: string): Scope[] | undefined {
  const parts = value.split(" ").filter(Boolean);
  return parts.every(isScope) ? [...new Set(parts)] : undefined;
}
