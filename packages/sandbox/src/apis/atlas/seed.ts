/** The seven Atlas permission scopes (seed: "Permission scopes"). */
export const ATLAS_SCOPES = [
  "terminal:read",
  "terminal:write",
  "transactions:read",
  "transactions:write",
  "reconciliation:read",
  "reconciliation:write",
  "webhooks:manage",
] as const;

export type AtlasScope = (typeof ATLAS_SCOPES)[number];

/** A merchant and its terminals. */
export interface AtlasMerchantSeed {
  readonly id: string;
  readonly name: string;
  readonly currency: string;
  readonly locale: string;
  readonly timezone: string;
  readonly terminals: readonly string[];
}

/** A seeded API key (per merchant, or per terminal when `terminalId` is set). */
export interface AtlasApiKeySeed {
  readonly label: string;
  readonly secret: string;
  readonly merchantId: string;
  readonly terminalId?: string;
  readonly scopes: readonly AtlasScope[];
}

/** A seeded OAuth client (client credentials). */
export interface AtlasClientSeed {
  readonly label: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly merchantId: string;
  readonly scopes: readonly AtlasScope[];
}

export const MERCHANTS: readonly AtlasMerchantSeed[] = [
  { id: "mer_01JQKAICAFE", name: "Kai Café", currency: "NZD", locale: "en-NZ", timezone: "Pacific/Auckland", terminals: ["TID-00012345", "TID-00067890"] },
  { id: "mer_01JQHARBOUR", name: "Harbour Books", currency: "AUD", locale: "en-AU", timezone: "Australia/Sydney", terminals: ["TID-00024680"] },
];

/**
 * Sandbox-only fixtures, fixed so docs and commands can name them (like the public test keys of
 * payment sandboxes). They work nowhere but here.
 */
export const API_KEYS = {
  full: { label: "merchant key, all scopes", secret: "sk_test_KaiCafeMerchant0001", merchantId: "mer_01JQKAICAFE", scopes: [...ATLAS_SCOPES] },
  terminalReadOnly: {
    label: "terminal key TID-00067890, terminal:read",
    secret: "sk_test_KaiCafeTerminalRO02",
    merchantId: "mer_01JQKAICAFE",
    terminalId: "TID-00067890",
    scopes: ["terminal:read"],
  },
  otherMerchant: { label: "Harbour Books merchant key, all scopes", secret: "sk_test_HarbourBooksKey0003", merchantId: "mer_01JQHARBOUR", scopes: [...ATLAS_SCOPES] },
} as const satisfies Record<string, AtlasApiKeySeed>;

/** A production-format key: the sandbox refuses every `sk_live_` key with `401 ENVIRONMENT_MISMATCH`. */
export const LIVE_API_KEY = "sk_live_9f8e7d6c5b4a3210ZyXwVu";

export const CLIENTS = {
  client: {
    label: "cloud POS client, all scopes",
    clientId: "cli_01JQABC123456",
    clientSecret: "cs_test_KaiCafeCloudPos0001",
    merchantId: "mer_01JQKAICAFE",
    scopes: [...ATLAS_SCOPES],
  },
  limitedClient: {
    label: "cloud POS client, terminal:read transactions:write",
    clientId: "cli_01JQLIMITED001",
    clientSecret: "cs_test_KaiCafeLimited00002",
    merchantId: "mer_01JQKAICAFE",
    scopes: ["terminal:read", "transactions:write"],
  },
  liveClient: {
    label: "production client (refused here)",
    clientId: "cli_01JQLIVE000001",
    clientSecret: "cs_live_KaiCafeProduction001",
    merchantId: "mer_01JQKAICAFE",
    scopes: [...ATLAS_SCOPES],
  },
} as const satisfies Record<string, AtlasClientSeed>;

/** The seed's example terminal. */
export const DEFAULT_TERMINAL_ID = "TID-00012345";

/** Amounts ending in these minor units are declined (e.g. 2551 → `DECLINED`, insufficient funds). */
export const DECLINE_CENTS: Readonly<Record<number, string>> = { 51: "INSUFFICIENT_FUNDS", 52: "CARD_EXPIRED", 53: "DO_NOT_HONOUR" };

/** How long a rotated key or client secret keeps working. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;
