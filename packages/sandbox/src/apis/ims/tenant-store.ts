/** Per-tenant in-memory data, seeded differently for each seeded tenant so isolation is visible. */
import { randomUUID } from "node:crypto";
import { TENANTS } from "./identities.js";
import type { Facility, Item, TenantData, TrackingMode, Uom } from "./model.js";
import { applyMovements } from "./stock.js";

const UOMS: readonly Uom[] = [
  { code: "EA", name: "Each", dimension: "count", precision: 0 },
  { code: "BOX", name: "Box", dimension: "count", precision: 0 },
  { code: "KG", name: "Kilogram", dimension: "mass", precision: 3 },
  { code: "L", name: "Litre", dimension: "volume", precision: 3 },
  { code: "M", name: "Metre", dimension: "length", precision: 3 },
];

interface SeedItem {
  sku: string;
  name: string;
  tracking: TrackingMode;
  uom: string;
  category: string;
  /** facility code → quantity (untracked items). */
  stock?: Record<string, number>;
  lots?: { lotNumber: string; facility: string; quantity: number; expiresAt: string }[];
  serials?: { facility: string; numbers: string[] };
}

interface TenantProfile {
  facilities: Omit<Facility, "id">[];
  items: SeedItem[];
  supplier: string;
  customer: string;
  currency: string;
}

const PROFILES: Record<string, TenantProfile> = {
  [TENANTS.acme.id]: {
    facilities: [
      { code: "WH-EAST", name: "East distribution center", type: "warehouse", timezone: "America/New_York", address: { line1: "100 Harbor Way", city: "Newark", region: "NJ", postalCode: "07114", country: "US" } },
      { code: "STORE-01", name: "Flagship store", type: "store", timezone: "America/New_York", address: { line1: "5 Market St", city: "Hoboken", region: "NJ", postalCode: "07030", country: "US" } },
    ],
    items: [
      { sku: "ACME-WIDGET-BLUE", name: "Blue widget", tracking: "none", uom: "EA", category: "widgets", stock: { "WH-EAST": 120, "STORE-01": 30 } },
      { sku: "ACME-RESIN-A", name: "Epoxy resin A", tracking: "lot", uom: "KG", category: "chemicals", lots: [{ lotNumber: "L2024-0117", facility: "WH-EAST", quantity: 500, expiresAt: "2027-01-17" }] },
      { sku: "ACME-SCANNER-X1", name: "Handheld scanner X1", tracking: "serial", uom: "EA", category: "devices", serials: { facility: "WH-EAST", numbers: ["SN-X1-0001", "SN-X1-0002", "SN-X1-0003"] } },
    ],
    supplier: "Northwind Supply",
    customer: "Initech",
    currency: "USD",
  },
  [TENANTS.globex.id]: {
    facilities: [{ code: "GLX-DC1", name: "Globex central DC", type: "warehouse", timezone: "Europe/Berlin", address: { line1: "Industriestrasse 12", city: "Leipzig", postalCode: "04109", country: "DE" } }],
    items: [
      { sku: "GLX-BOLT-M8", name: "Hex bolt M8", tracking: "none", uom: "EA", category: "fasteners", stock: { "GLX-DC1": 5000 } },
      { sku: "GLX-PAINT-RED", name: "Signal red paint", tracking: "lot", uom: "L", category: "coatings", lots: [{ lotNumber: "GX-0042", facility: "GLX-DC1", quantity: 80, expiresAt: "2026-09-30" }] },
    ],
    supplier: "Umbrella Industrial",
    customer: "Soylent Stores",
    currency: "EUR",
  },
};

function emptyTenant(tenantId: string): TenantData {
  return {
    tenantId,
    items: new Map(),
    uoms: UOMS.map((u) => ({ ...u })),
    facilities: new Map(),
    lots: new Map(),
    serials: new Map(),
    balances: new Map(),
    ledger: [],
    adjustments: [],
    transfers: [],
    purchaseOrders: new Map(),
    receipts: [],
    salesOrders: new Map(),
    sequences: { transfer: 0, purchaseOrder: 0, receipt: 0, salesOrder: 0 },
  };
}

export const formatNumber = (prefix: string, n: number) => `${prefix}-${String(n).padStart(6, "0")}`;

function seedTenant(t: TenantData, profile: TenantProfile, at: string): void {
  const facilityByCode = new Map<string, string>();
  for (const f of profile.facilities) {
    const id = randomUUID();
    t.facilities.set(id, { ...f, id });
    facilityByCode.set(f.code, id);
  }
  const fid = (code: string) => facilityByCode.get(code) ?? "";
  const items: Item[] = [];
  for (const s of profile.items) {
    const item: Item = { id: randomUUID(), sku: s.sku, name: s.name, description: null, category: s.category, status: "active", trackingMode: s.tracking, baseUomCode: s.uom, createdAt: at, updatedAt: at };
    t.items.set(item.id, item);
    items.push(item);
    const opening = randomUUID();
    const base = { itemId: item.id, reason: "adjustment", sourceType: "adjustment", sourceId: opening } as const;
    for (const [code, quantity] of Object.entries(s.stock ?? {})) applyMovements(t, [{ ...base, facilityId: fid(code), lotId: null, delta: quantity }], at);
    for (const l of s.lots ?? []) {
      const lot = { id: randomUUID(), itemId: item.id, lotNumber: l.lotNumber, status: "released" as const, manufacturedAt: null, expiresAt: l.expiresAt, createdAt: at };
      t.lots.set(lot.id, lot);
      applyMovements(t, [{ ...base, facilityId: fid(l.facility), lotId: lot.id, delta: l.quantity }], at);
    }
    for (const n of s.serials?.numbers ?? []) {
      const facilityId = fid(s.serials?.facility ?? "");
      t.serials.set(n, { id: randomUUID(), serialNumber: n, itemId: item.id, facilityId, lotId: null, status: "in_stock" });
      applyMovements(t, [{ ...base, facilityId, lotId: null, delta: 1, serialNumber: n }], at);
    }
  }
  const first = items[0];
  const facilityId = fid(profile.facilities[0]?.code ?? "");
  if (!first) return;
  t.sequences.purchaseOrder += 1;
  const po = { id: randomUUID(), number: formatNumber("PO", t.sequences.purchaseOrder), supplier: { name: profile.supplier }, facilityId, status: "open" as const, currency: profile.currency, lines: [{ lineId: randomUUID(), itemId: first.id, uomCode: first.baseUomCode, quantityOrdered: 200, quantityReceived: 0, unitCost: "2.35" }], expectedAt: null, createdAt: at, updatedAt: at };
  t.purchaseOrders.set(po.id, po);
  for (const status of ["shipped", "draft"] as const) {
    t.sequences.salesOrder += 1;
    const so = { id: randomUUID(), number: formatNumber("SO", t.sequences.salesOrder), customer: { name: profile.customer }, facilityId, status, currency: profile.currency, lines: [{ lineId: randomUUID(), itemId: first.id, quantity: 10, unitPrice: "4.99", uomCode: first.baseUomCode }], shippingAddress: null, requestedShipDate: null, cancellationReason: null, createdAt: at, updatedAt: at };
    t.salesOrders.set(so.id, so);
  }
}

export interface TenantStore {
  /** The tenant's data; an unseeded tenant starts empty (apart from the standard UOMs). */
  tenant(tenantId: string): TenantData;
}

export function createTenantStore(now: () => number): TenantStore {
  const tenants = new Map<string, TenantData>();
  return {
    tenant(tenantId) {
      let t = tenants.get(tenantId);
      if (!t) {
        t = emptyTenant(tenantId);
        const profile = PROFILES[tenantId];
        if (profile) seedTenant(t, profile, new Date(now()).toISOString());
        tenants.set(tenantId, t);
      }
      return t;
    },
  };
}
