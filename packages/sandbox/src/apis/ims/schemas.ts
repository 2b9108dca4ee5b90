/** Request validation for the IMS API (mirrors the spec's request schemas; unknown fields are refused). */
import { z } from "zod";

const id = z.guid();
const uomCode = z.string().regex(/^[A-Z0-9_]{1,16}$/);
const money = z.string().regex(/^-?\d{1,12}(\.\d{1,4})?$/);
const currency = z.string().regex(/^[A-Z]{3}$/);
const positive = z.number().positive();
const date = z.iso.date();

export const pageQuery = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const itemsQuery = pageQuery.extend({
  sku: z.string().optional(),
  status: z.enum(["active", "inactive"]).optional(),
  search: z.string().max(100).optional(),
});

export const facilitiesQuery = pageQuery.extend({ type: z.enum(["warehouse", "store", "plant", "third_party"]).optional() });
export const balancesQuery = pageQuery.extend({ itemId: id.optional(), facilityId: id.optional(), lotId: id.optional() });
export const ledgerQuery = pageQuery.extend({ itemId: id.optional(), facilityId: id.optional(), since: z.iso.datetime({ offset: true }).optional(), until: z.iso.datetime({ offset: true }).optional() });
export const lotsQuery = pageQuery.extend({ itemId: id.optional(), status: z.enum(["released", "quarantined", "expired"]).optional() });
export const serialsQuery = pageQuery.extend({ itemId: id.optional(), facilityId: id.optional(), status: z.enum(["in_stock", "allocated", "shipped"]).optional() });
export const transfersQuery = pageQuery.extend({ status: z.enum(["pending", "in_transit", "completed", "cancelled"]).optional(), facilityId: id.optional() });
export const purchaseOrdersQuery = pageQuery.extend({ status: z.enum(["open", "partially_received", "received", "cancelled"]).optional(), facilityId: id.optional() });
export const receiptsQuery = pageQuery.extend({ purchaseOrderId: id.optional() });
export const salesOrdersQuery = pageQuery.extend({ status: z.enum(["draft", "confirmed", "shipped", "cancelled"]).optional() });

export const createItem = z.strictObject({
  sku: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  category: z.string().max(100).optional(),
  trackingMode: z.enum(["none", "lot", "serial"]).default("none"),
  baseUomCode: uomCode,
});

export const updateItem = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
    category: z.string().max(100).nullable().optional(),
    status: z.enum(["active", "inactive"]).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "at least one property is required");

export const postAdjustment = z.strictObject({
  facilityId: id,
  reasonCode: z.enum(["cycle_count", "damage", "shrinkage", "found", "other"]),
  note: z.string().max(500).optional(),
  lines: z
    .array(z.strictObject({ itemId: id, lotId: id.optional(), quantityDelta: z.number().refine((n) => n !== 0, "must not be 0"), uomCode: uomCode.optional() }))
    .min(1)
    .max(500),
});

export const createTransfer = z.strictObject({
  fromFacilityId: id,
  toFacilityId: id,
  note: z.string().max(500).optional(),
  lines: z.array(z.strictObject({ itemId: id, lotId: id.optional(), quantity: positive, uomCode: uomCode.optional() })).min(1).max(500),
});

const supplier = z.strictObject({ name: z.string().min(1).max(200), code: z.string().max(64).optional() });

export const createPurchaseOrder = z.strictObject({
  supplier,
  facilityId: id,
  currency,
  expectedAt: date.optional(),
  lines: z.array(z.strictObject({ itemId: id, quantity: positive, unitCost: money, uomCode: uomCode.optional() })).min(1).max(500),
});

export const recordReceipt = z.strictObject({
  purchaseOrderId: id,
  receivedAt: z.iso.datetime({ offset: true }).optional(),
  lines: z
    .array(
      z.strictObject({
        purchaseOrderLineId: id,
        quantity: positive,
        lotNumber: z.string().min(1).max(64).optional(),
        expiresAt: date.optional(),
        serialNumbers: z.array(z.string().min(1).max(64)).max(1000).optional(),
      }),
    )
    .min(1)
    .max(500),
});

export const address = z.strictObject({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string().optional(),
  country: z.string().regex(/^[A-Z]{2}$/),
});

const customer = z.strictObject({ name: z.string().min(1).max(200), email: z.email().optional(), externalId: z.string().max(64).optional() });
const salesLines = z.array(z.strictObject({ itemId: id, quantity: positive, unitPrice: money, uomCode: uomCode.optional() })).min(1).max(500);

export const createSalesOrder = z.strictObject({
  customer,
  facilityId: id,
  currency,
  status: z.enum(["draft", "confirmed"]).default("draft"),
  shippingAddress: address.optional(),
  requestedShipDate: date.optional(),
  lines: salesLines,
});

export const updateSalesOrder = z
  .strictObject({
    customer: customer.optional(),
    status: z.literal("confirmed").optional(),
    shippingAddress: address.optional(),
    requestedShipDate: date.optional(),
    lines: salesLines.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "at least one property is required");

export const cancelSalesOrder = z.strictObject({ reason: z.string().max(500).optional() });

export const pathId = z.guid();
