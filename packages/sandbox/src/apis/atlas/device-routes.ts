import type { Hono } from "hono";
import { randomToken } from "./credential-store.js";
import { principalOf, type AtlasPrincipal } from "./authenticate.js";
import type { EventHub } from "./events.js";
import { input } from "./input.js";
import type { AtlasMerchantSeed } from "./seed.js";
import type { AtlasState } from "./state.js";

/** The spec's `DeviceStatus` of the caller's terminal. */
export function deviceStatus(principal: AtlasPrincipal, state: AtlasState): Record<string, unknown> {
  return { terminalId: principal.terminalId, state: "IDLE", connectivity: "wifi", lastSeenAt: state.nowIso() };
}

/** `GET /v1/device/{health,status,config}`, `POST /v1/device/{display,input,print}`. */
export function mountDeviceRoutes(
  app: Hono,
  deps: { readonly state: AtlasState; readonly merchants: readonly AtlasMerchantSeed[]; readonly events: () => EventHub; readonly startedAt: number; readonly now: () => number },
): void {
  const { state } = deps;
  app.get("/v1/device/health", (c) => {
    const p = principalOf(c);
    return c.json({
      status: "ok",
      terminalId: p.terminalId,
      firmwareVersion: "4.12.0",
      batteryPercent: 87,
      uptimeSeconds: Math.max(0, Math.floor((deps.now() - deps.startedAt) / 1000)),
      checkedAt: state.nowIso(),
    });
  });
  app.get("/v1/device/status", (c) => c.json(deviceStatus(principalOf(c), state)));
  app.get("/v1/device/config", (c) => {
    const p = principalOf(c);
    const merchant = deps.merchants.find((m) => m.id === p.merchantId);
    return c.json({
      terminalId: p.terminalId,
      merchantId: p.merchantId,
      merchantName: merchant?.name ?? "",
      currency: merchant?.currency ?? "NZD",
      locale: merchant?.locale ?? "en-NZ",
      timezone: merchant?.timezone ?? "Pacific/Auckland",
      tippingEnabled: true,
      printerAvailable: true,
      supportedTransactionTypes: ["SALE", "REFUND", "VOID", "PREAUTH", "COMPLETION", "CARD_READ"],
    });
  });
  app.post("/v1/device/display", (c) => {
    const p = principalOf(c);
    const body = input(c, "showDisplay").body;
    const result = { displayId: `dsp_${randomToken(10)}`, lines: body.lines, displayedAt: state.nowIso() };
    deps.events().publish(p.merchantId, "display.updated", result);
    return c.json(result);
  });
  app.post("/v1/device/input", (c) => {
    const body = input(c, "requestInput").body;
    const value = { NUMERIC: "500", TEXT: "sandbox", CONFIRM: "true" }[body.inputType];
    return c.json({ inputId: `inp_${randomToken(10)}`, status: "COMPLETED", value });
  });
  app.post("/v1/device/print", (c) => c.json({ printJobId: `prn_${randomToken(10)}`, status: "QUEUED" }, 202));
}
