/** Resource shapes of the IMS sandbox, as the spec's schemas describe them. */
export type TrackingMode = "none" | "lot" | "serial";

export interface Item {
  id: string;
  sku: string;
  name: string;
  description: string | null;
  category: string | null;
  status: "active" | "inactive";
  trackingMode: TrackingMode;
  baseUomCode: string;
  createdAt: string;
  updatedAt: string;
}

export interface Uom {
  code: string;
  name: string;
  dimension: "count" | "mass" | "volume" | "length";
  precision: number;
}

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode?: string;
  country: string;
}

export interface Facility {
  id: string;
  code: string;
  name: string;
  type: "warehouse" | "store" | "plant" | "third_party";
  timezone: string;
  address: Address | null;
}

export interface Balance {
  itemId: string;
  sku: string;
  facilityId: string;
  lotId: string | null;
  uomCode: string;
  onHand: number;
  allocated: number;
  available: number;
  updatedAt: string;
}

export type LedgerReason = "receipt" | "adjustment" | "transfer_out" | "transfer_in" | "shipment";
export type LedgerSource = "receipt" | "adjustment" | "transfer" | "sales_order";

export interface LedgerEntry {
  id: string;
  itemId: string;
  facilityId: string;
  lotId: string | null;
  serialNumber: string | null;
  quantityDelta: number;
  balanceAfter: number;
  uomCode: string;
  reason: LedgerReason;
  sourceType: LedgerSource;
  sourceId: string;
  occurredAt: string;
}

export interface Lot {
  id: string;
  itemId: string;
  lotNumber: string;
  status: "released" | "quarantined" | "expired";
  manufacturedAt: string | null;
  expiresAt: string | null;
  createdAt: string;
}

export interface Serial {
  id: string;
  serialNumber: string;
  itemId: string;
  facilityId: string | null;
  lotId: string | null;
  status: "in_stock" | "allocated" | "shipped";
}

export interface Adjustment {
  id: string;
  facilityId: string;
  reasonCode: "cycle_count" | "damage" | "shrinkage" | "found" | "other";
  note: string | null;
  lines: { itemId: string; lotId: string | null; quantityDelta: number; uomCode: string; balanceAfter: number }[];
  postedAt: string;
  postedBy: string;
}

export interface Transfer {
  id: string;
  number: string;
  fromFacilityId: string;
  toFacilityId: string;
  status: "pending" | "in_transit" | "completed" | "cancelled";
  note: string | null;
  lines: { itemId: string; lotId: string | null; quantity: number; uomCode: string }[];
  createdAt: string;
  completedAt: string | null;
}

export interface Supplier {
  name: string;
  code?: string;
}

export interface PurchaseOrder {
  id: string;
  number: string;
  supplier: Supplier;
  facilityId: string;
  status: "open" | "partially_received" | "received" | "cancelled";
  currency: string;
  lines: { lineId: string; itemId: string; uomCode: string; quantityOrdered: number; quantityReceived: number; unitCost: string }[];
  expectedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Receipt {
  id: string;
  number: string;
  purchaseOrderId: string;
  facilityId: string;
  lines: { purchaseOrderLineId: string; itemId: string; quantity: number; lotId: string | null; serialNumbers: string[] }[];
  receivedAt: string;
  receivedBy: string;
}

export interface Customer {
  name: string;
  email?: string;
  externalId?: string;
}

export interface SalesOrder {
  id: string;
  number: string;
  customer: Customer;
  facilityId: string;
  status: "draft" | "confirmed" | "shipped" | "cancelled";
  currency: string;
  lines: { lineId: string; itemId: string; quantity: number; unitPrice: string; uomCode: string }[];
  shippingAddress: Address | null;
  requestedShipDate: string | null;
  cancellationReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Everything one tenant owns. Nothing here is reachable from another tenant's token. */
export interface TenantData {
  readonly tenantId: string;
  readonly items: Map<string, Item>;
  readonly uoms: Uom[];
  readonly facilities: Map<string, Facility>;
  readonly lots: Map<string, Lot>;
  readonly serials: Map<string, Serial>;
  /** Keyed by `itemId|facilityId|lotId`. */
  readonly balances: Map<string, Balance>;
  /** Oldest first; lists show newest first. */
  readonly ledger: LedgerEntry[];
  readonly adjustments: Adjustment[];
  readonly transfers: Transfer[];
  readonly purchaseOrders: Map<string, PurchaseOrder>;
  readonly receipts: Receipt[];
  readonly salesOrders: Map<string, SalesOrder>;
  readonly sequences: { transfer: number; purchaseOrder: number; receipt: number; salesOrder: number };
}
