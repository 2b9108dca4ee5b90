/** Request schemas of the EUDR sandbox, mirroring `specs/eudr.yaml` (unknown fields rejected). */
import { z } from "zod";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuid = z.string().regex(UUID, "must be a UUID");
const country = z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code");
const externalId = z.string().min(1).max(128);
const recordStatus = z.enum(["active", "inactive"]);
const atLeastOne = (value: object): boolean => Object.keys(value).length > 0;
const ONE_FIELD = "at least one field is required";

export const commodity = z.enum(["cattle", "cocoa", "coffee", "oil_palm", "rubber", "soya", "wood"]);
const hsCode = z.string().regex(/^[0-9]{4,10}$/, "must be 4 to 10 digits");

const address = z.strictObject({
  line1: z.string().min(1).max(255),
  line2: z.string().max(255).optional(),
  city: z.string().min(1).max(128),
  postalCode: z.string().max(32).optional(),
  country,
});

const supplierFields = {
  externalId,
  name: z.string().min(1).max(255),
  country,
  taxId: z.string().min(1).max(64),
  email: z.email().max(254),
  address,
  status: recordStatus,
};

export const supplierCreate = z.strictObject({
  ...supplierFields,
  externalId: supplierFields.externalId.optional(),
  taxId: supplierFields.taxId.optional(),
  email: supplierFields.email.optional(),
  address: supplierFields.address.optional(),
  status: supplierFields.status.optional(),
});
export const supplierUpdate = z.strictObject(supplierFields).partial().refine(atLeastOne, ONE_FIELD);

const supplierIds = z.array(uuid).max(100);
const productFields = {
  externalId,
  name: z.string().min(1).max(255),
  description: z.string().max(2000),
  commodity,
  hsCode,
  supplierIds,
  status: recordStatus,
};
export const productCreate = z.strictObject({
  ...productFields,
  externalId: productFields.externalId.optional(),
  description: productFields.description.optional(),
  supplierIds: productFields.supplierIds.optional(),
  status: productFields.status.optional(),
});
export const productUpdate = z.strictObject(productFields).partial().refine(atLeastOne, ONE_FIELD);

const quantity = z.strictObject({
  amount: z.number().positive(),
  unit: z.enum(["kg", "t", "m3", "l", "units", "head"]),
});
const plot = z.strictObject({
  plotId: z.string().max(128).optional(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  areaHectares: z.number().positive().optional(),
});
const batchStatus = z.enum(["draft", "ready", "shipped"]);
const batchFields = {
  externalId,
  quantity,
  countryOfProduction: country,
  harvestStartDate: z.iso.date(),
  harvestEndDate: z.iso.date(),
  plots: z.array(plot).max(1000),
  status: batchStatus,
};
export const batchCreate = z.strictObject({
  productId: uuid,
  supplierId: uuid,
  quantity,
  countryOfProduction: country,
  externalId: externalId.optional(),
  harvestStartDate: batchFields.harvestStartDate.optional(),
  harvestEndDate: batchFields.harvestEndDate.optional(),
  plots: batchFields.plots.optional(),
  status: batchStatus.optional(),
});
export const batchUpdate = z.strictObject(batchFields).partial().refine(atLeastOne, ONE_FIELD);

export const webhookEvent = z.enum([
  "supplier.created",
  "supplier.updated",
  "product.created",
  "product.updated",
  "batch.created",
  "batch.updated",
  "dds.status_changed",
  "sync.failed",
]);
const events = z
  .array(webhookEvent)
  .min(1)
  .refine((list) => new Set(list).size === list.length, "events must be unique");
export const webhookCreate = z.strictObject({
  url: z.url().max(2048),
  events,
  description: z.string().max(255).optional(),
  active: z.boolean().optional(),
});
export const webhookUpdate = z
  .strictObject({ url: z.url().max(2048), events, description: z.string().max(255), active: z.boolean() })
  .partial()
  .refine(atLeastOne, ONE_FIELD);

const limit = z.coerce.number().int().min(1).max(100).default(25);
const cursor = z.string().min(1).optional();
export const entityType = z.enum(["supplier", "product", "batch"]);
export const listQuery = z.object({ limit, cursor, updatedSince: z.iso.datetime({ offset: true }).optional() });
export const batchListQuery = listQuery.extend({ productId: uuid.optional(), supplierId: uuid.optional() });
export const syncLogQuery = z.object({ limit, cursor, level: z.enum(["info", "warning", "error"]).optional(), entityType: entityType.optional() });

export type SupplierCreate = z.infer<typeof supplierCreate>;
export type SupplierUpdate = z.infer<typeof supplierUpdate>;
export type ProductCreate = z.infer<typeof productCreate>;
export type ProductUpdate = z.infer<typeof productUpdate>;
export type BatchCreate = z.infer<typeof batchCreate>;
export type BatchUpdate = z.infer<typeof batchUpdate>;
export type WebhookCreate = z.infer<typeof webhookCreate>;
export type WebhookUpdate = z.infer<typeof webhookUpdate>;
export type EntityType = z.infer<typeof entityType>;
export type ListQuery = z.infer<typeof listQuery>;
export type BatchListQuery = z.infer<typeof batchListQuery>;
