/** What the IMS route modules share: the tenant store, the clock, and lookups that 404 across tenants. */
import type { operations } from "@atrope-ai/api-client";
import type { Context, MiddlewareHandler } from "hono";
import type { ImsEnv } from "../env.js";
import { requestInput } from "../../../framework/request-input.js";
import { ImsProblem } from "../problem.js";
import type { Facility, Item, TenantData } from "../model.js";
import type { TenantStore } from "../tenant-store.js";

export interface RouteDeps {
  readonly store: TenantStore;
  readonly now: () => number;
  /** Validates the request against the spec (the framework's `validateRequests`). */
  readonly validate: MiddlewareHandler<ImsEnv>;
}

/** The request as `specs/ims.yaml` declares it, once `validate` passed: `input(c, "createItem").body`. */
export const input = requestInput<operations>();

/** The data of the token's tenant, and nothing else. */
export const tenantOf = (c: Context<ImsEnv>, deps: RouteDeps): TenantData => deps.store.tenant(c.get("principal").tenantId);

export const isoNow = (deps: RouteDeps): string => new Date(deps.now()).toISOString();

export function mustGet<T>(map: ReadonlyMap<string, T>, id: string | undefined, what: string): T {
  const found = id === undefined ? undefined : map.get(id);
  if (!found) throw new ImsProblem(404, "NOT_FOUND", `${what} not found`, id === undefined ? undefined : { id });
  return found;
}

export const mustItem = (t: TenantData, id: string): Item => mustGet(t.items, id, "Item");
export const mustFacility = (t: TenantData, id: string): Facility => mustGet(t.facilities, id, "Facility");

/** The sandbox does not convert units: a line's UOM, when given, must be the item's base UOM. */
export function lineUom(item: Item, uomCode: string | undefined): string {
  if (uomCode !== undefined && uomCode !== item.baseUomCode) {
    throw new ImsProblem(400, "VALIDATION_ERROR", `uomCode ${uomCode} differs from ${item.sku}'s base UOM ${item.baseUomCode}; send quantities in the base UOM`);
  }
  return item.baseUomCode;
}

/** Lots must belong to the item; lot-tracked items need one. */
export function lineLot(t: TenantData, item: Item, lotId: string | undefined): string | null {
  if (lotId === undefined) {
    if (item.trackingMode === "lot") throw new ImsProblem(400, "VALIDATION_ERROR", `${item.sku} is lot-tracked: lotId is required`);
    return null;
  }
  const lot = mustGet(t.lots, lotId, "Lot");
  if (lot.itemId !== item.id) throw new ImsProblem(400, "VALIDATION_ERROR", `Lot ${lot.lotNumber} does not belong to ${item.sku}`);
  return lot.id;
}

/** Newest first. */
export const newestFirst = <T>(list: readonly T[]): T[] => [...list].reverse();
