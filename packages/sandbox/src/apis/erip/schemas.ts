/** Request schemas of the ERIP sandbox, mirroring `specs/erip.yaml` (unknown fields rejected). */
import { z } from "zod";

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a UUID");
export const tenantRole = z.enum(["Admin", "Member"]);

export const tokenQuery = z.object({ token: z.string().min(1).max(512) });
export const requestLoginLink = z.strictObject({ email: z.email().max(254) });
export const createApiKey = z.strictObject({ name: z.string().min(1).max(100) });
export const createInvite = z.strictObject({ email: z.email().max(254), name: z.string().min(1).max(200), tenantRole: tenantRole.optional() });
export const updateMember = z
  .strictObject({ tenantRole, status: z.enum(["Active", "Suspended"]) })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "at least one field is required");
const nullableString = (max: number) => z.string().max(max).nullable().optional();
export const tenantContact = z.strictObject({
  contactName: z.string().min(1).max(200),
  billingEmail: z.email().max(254),
  phone: nullableString(50),
  addressLine1: nullableString(255),
  addressLine2: nullableString(255),
  city: nullableString(128),
  postalCode: nullableString(32),
  country: z.string().regex(/^[A-Z]{2}$/).nullable().optional(),
});
export const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().min(1).optional() });
export const searchQuery = z.object({
  name: z.string().min(2).max(200),
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const mcpRequest = z.strictObject({
  jsonrpc: z.literal("2.0"),
  id: z.union([z.string(), z.number().int()]),
  method: z.enum(["initialize", "ping", "tools/list", "tools/call"]),
  params: z.record(z.string(), z.unknown()).optional(),
});

export type TenantContactInput = z.infer<typeof tenantContact>;
export type McpRequest = z.infer<typeof mcpRequest>;
