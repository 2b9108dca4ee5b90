/** The eight IMS permissions of the seed, carried in the namespaced `permissions` claim. */
export const PERMISSIONS = [
  "inventory:read",
  "inventory:write",
  "catalog:read",
  "catalog:write",
  "procurement:read",
  "procurement:write",
  "sales:read",
  "sales:write",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const READ_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter((p) => p.endsWith(":read"));

export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && (PERMISSIONS as readonly string[]).includes(value);
}
