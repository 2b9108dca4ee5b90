import { randomUUID } from "node:crypto";
import type { components } from "@nentropy/api-client";
import type { Context, Hono, MiddlewareHandler } from "hono";
import type { PageQuery } from "../../framework/pages.js";
import type { Batch, EntityType, IntegrationData, Product, Supplier } from "./data-store.js";
import { recordWriteAndSync } from "./data-store.js";
import type { EudrEnv } from "./env.js";
import { EudrProblem, input, paginate } from "./http.js";
import type { EudrScope } from "./scopes.js";

type Schemas = components["schemas"];

interface BaseRecord {
  id: string;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The query of a kind's list operation, as validated. */
interface ListQuery extends PageQuery {
  readonly updatedSince?: string | undefined;
}

interface RecordKind<T extends BaseRecord, C, U, Q extends ListQuery> {
  readonly type: EntityType;
  readonly path: string;
  readonly param: string;
  readonly label: string;
  readonly read: EudrScope;
  readonly write: EudrScope;
  /** The validated query of the kind's list operation, and bodies of its create and update. */
  listQuery(c: Context<EudrEnv>): Q;
  createBody(c: Context<EudrEnv>): C;
  updateBody(c: Context<EudrEnv>): U;
  store(data: IntegrationData): Map<string, T>;
  build(input: C, id: string, at: string, data: IntegrationData): T;
  apply(record: T, patch: U, data: IntegrationData): void;
  filter?(record: T, query: Q): boolean;
  afterCreate?(record: T, data: IntegrationData, at: string): void;
}

/** Dependencies of the record routes. */
export interface RecordRouteDeps {
  readonly guard: (scope: EudrScope) => MiddlewareHandler<EudrEnv>;
  readonly now: () => number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function assertUniqueExternalId<T extends BaseRecord>(store: Map<string, T>, label: string, externalId: string | undefined, selfId?: string): void {
  if (externalId === undefined) return;
  for (const record of store.values()) {
    if (record.externalId === externalId && record.id !== selfId) {
      throw new EudrProblem(409, "CONFLICT", `A ${label} with externalId ${externalId} already exists`, { externalId, existingId: record.id });
    }
  }
}

function assertExists(store: Map<string, unknown>, id: string, field: string, label: string): void {
  if (!store.has(id)) throw new EudrProblem(400, "VALIDATION_ERROR", `${field}: no ${label} ${id} in this integration`, { fields: [{ path: field, message: `no such ${label}` }] });
}

function registerKind<T extends BaseRecord, C extends { externalId?: string | undefined }, U extends { externalId?: string | undefined }, Q extends ListQuery>(
  app: Hono<EudrEnv>,
  deps: RecordRouteDeps,
  kind: RecordKind<T, C, U, Q>,
): void {
  const one = `${kind.path}/:${kind.param}`;
  // The path parameter is a UUID: the guard validated it against the spec.
  const find = (c: Context<EudrEnv>): T => {
    const record = kind.store(c.get("auth").data).get(c.req.param(kind.param) ?? "");
    if (!record) throw new EudrProblem(404, "NOT_FOUND", `${kind.label.charAt(0).toUpperCase()}${kind.label.slice(1)} not found`);
    return record;
  };

  app.get(kind.path, deps.guard(kind.read), (c) => {
    const query = kind.listQuery(c);
    const since = query.updatedSince ? Date.parse(query.updatedSince) : undefined;
    const items = [...kind.store(c.get("auth").data).values()].filter(
      (r) => (since === undefined || Date.parse(r.updatedAt) >= since) && (kind.filter ? kind.filter(r, query) : true),
    );
    return c.json(paginate(items, query), 200);
  });

  app.post(kind.path, deps.guard(kind.write), (c) => {
    const body = kind.createBody(c);
    const { data } = c.get("auth");
    assertUniqueExternalId(kind.store(data), kind.label, body.externalId);
    const at = iso(deps.now());
    const record = kind.build(body, randomUUID(), at, data);
    kind.store(data).set(record.id, record);
    recordWriteAndSync(data, kind.type, record.id, "created", at);
    kind.afterCreate?.(record, data, at);
    return c.json(record, 201);
  });

  app.get(one, deps.guard(kind.read), (c) => c.json(find(c), 200));

  app.patch(one, deps.guard(kind.write), (c) => {
    const { data } = c.get("auth");
    const record = find(c);
    const patch = kind.updateBody(c);
    assertUniqueExternalId(kind.store(data), kind.label, patch.externalId, record.id);
    kind.apply(record, patch, data);
    record.updatedAt = iso(deps.now());
    recordWriteAndSync(data, kind.type, record.id, "updated", record.updatedAt);
    return c.json(record, 200);
  });

  app.get(`${one}/sync-status`, deps.guard(kind.read), (c) => {
    const { id } = find(c);
    const status = c.get("auth").data.sync.get(`${kind.type}:${id}`) ?? { entityType: kind.type, entityId: id, status: "pending", lastSyncedAt: null, lastError: null, attempts: 0 };
    return c.json(status, 200);
  });
}

/** Mounts the supplier, product, batch and DDS routes. */
export function registerRecordRoutes(app: Hono<EudrEnv>, deps: RecordRouteDeps): void {
  registerKind<Supplier, Schemas["SupplierCreate"], Schemas["SupplierUpdate"], ListQuery>(app, deps, {
    type: "supplier",
    path: "/suppliers",
    param: "supplierId",
    label: "supplier",
    read: "integration:suppliers:read",
    write: "integration:suppliers:write",
    listQuery: (c) => input(c, "listSuppliers").query,
    createBody: (c) => input(c, "createSupplier").body,
    updateBody: (c) => input(c, "updateSupplier").body,
    store: (data) => data.suppliers,
    build: (input, id, at) => ({
      id,
      externalId: input.externalId ?? null,
      name: input.name,
      country: input.country,
      taxId: input.taxId ?? null,
      email: input.email ?? null,
      address: input.address ?? null,
      status: input.status ?? "active",
      createdAt: at,
      updatedAt: at,
    }),
    apply: (record, patch) => Object.assign(record, patch),
  });

  registerKind<Product, Schemas["ProductCreate"], Schemas["ProductUpdate"], ListQuery>(app, deps, {
    type: "product",
    path: "/products",
    param: "productId",
    label: "product",
    read: "integration:products:read",
    write: "integration:products:write",
    listQuery: (c) => input(c, "listProducts").query,
    createBody: (c) => input(c, "createProduct").body,
    updateBody: (c) => input(c, "updateProduct").body,
    store: (data) => data.products,
    build: (input, id, at, data) => {
      (input.supplierIds ?? []).forEach((sid, i) => assertExists(data.suppliers, sid, `supplierIds.${i}`, "supplier"));
      return {
        id,
        externalId: input.externalId ?? null,
        name: input.name,
        description: input.description ?? null,
        commodity: input.commodity,
        hsCode: input.hsCode,
        supplierIds: [...new Set(input.supplierIds ?? [])],
        status: input.status ?? "active",
        createdAt: at,
        updatedAt: at,
      };
    },
    apply: (record, patch, data) => {
      (patch.supplierIds ?? []).forEach((sid, i) => assertExists(data.suppliers, sid, `supplierIds.${i}`, "supplier"));
      Object.assign(record, patch.supplierIds ? { ...patch, supplierIds: [...new Set(patch.supplierIds)] } : patch);
    },
  });

  registerKind<Batch, Schemas["BatchCreate"], Schemas["BatchUpdate"], ListQuery & { readonly productId?: string; readonly supplierId?: string }>(app, deps, {
    type: "batch",
    path: "/batches",
    param: "batchId",
    label: "batch",
    read: "integration:batches:read",
    write: "integration:batches:write",
    listQuery: (c) => input(c, "listBatches").query,
    createBody: (c) => input(c, "createBatch").body,
    updateBody: (c) => input(c, "updateBatch").body,
    store: (data) => data.batches,
    build: (input, id, at, data) => {
      assertExists(data.products, input.productId, "productId", "product");
      assertExists(data.suppliers, input.supplierId, "supplierId", "supplier");
      return {
        id,
        externalId: input.externalId ?? null,
        productId: input.productId,
        supplierId: input.supplierId,
        quantity: input.quantity,
        countryOfProduction: input.countryOfProduction,
        harvestStartDate: input.harvestStartDate ?? null,
        harvestEndDate: input.harvestEndDate ?? null,
        plots: input.plots ?? [],
        status: input.status ?? "draft",
        createdAt: at,
        updatedAt: at,
      };
    },
    apply: (record, patch) => Object.assign(record, patch),
    filter: (record, query) =>
      (query.productId === undefined || record.productId === query.productId) && (query.supplierId === undefined || record.supplierId === query.supplierId),
    afterCreate: (record, data, at) => {
      data.dds.set(record.id, {
        batchId: record.id,
        status: "not_started",
        referenceNumber: null,
        verificationNumber: null,
        submittedAt: null,
        updatedAt: at,
        rejectionReason: null,
      });
    },
  });

  app.get("/batches/:batchId/dds-status", deps.guard("integration:dds:read"), (c) => {
    const status = c.get("auth").data.dds.get(input(c, "getBatchDdsStatus").path.batchId);
    if (!status) throw new EudrProblem(404, "NOT_FOUND", "Batch not found");
    return c.json(status, 200);
  });
}
