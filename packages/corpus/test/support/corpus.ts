import { fileURLToPath } from "node:url";

/** The package directory (`packages/corpus`). */
export const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));

/** One real spec of the corpus: where its file is, as the test reads it (never from `../shared`). */
export interface CorpusSpec {
  /** Short id: the test file, the `.generated/<id>/` folder and the typed-call file are named for it. */
  readonly id: string;
  /** Path of the spec file, relative to the package: `specs/…` (copied) or `node_modules/…` (npm). */
  readonly file: string;
}

/** Every spec of the corpus; PROVENANCE.md in `specs/` says where each comes from. */
export const CORPUS = {
  stripe: { id: "stripe", file: "specs/stripe.yaml" },
  openai: { id: "openai", file: "specs/openai.yaml" },
  box: { id: "box", file: "specs/box.json" },
  "paypal-orders": { id: "paypal-orders", file: "specs/paypal-orders.json" },
  "twilio-messaging": { id: "twilio-messaging", file: "specs/twilio-messaging.json" },
  github: { id: "github", file: "node_modules/@octokit/openapi/generated/api.github.com.json" },
  directus: { id: "directus", file: "node_modules/@directus/specs/dist/openapi.json" },
  blockfrost: { id: "blockfrost", file: "node_modules/@blockfrost/openapi/openapi.yaml" },
  "algolia-search": { id: "algolia-search", file: "specs/algolia-search.yml" },
  "vonage-number-insight": { id: "vonage-number-insight", file: "specs/vonage-number-insight.yml" },
  qdrant: { id: "qdrant", file: "specs/qdrant.json" },
} as const satisfies Record<string, CorpusSpec>;

export type CorpusId = keyof typeof CORPUS;

export const CORPUS_IDS = Object.keys(CORPUS) as CorpusId[];

/**
 * The minimal specs of `cases/` (one per case of `cases/README.md`) that generate a client; each has
 * `test/cases/<id>.test.ts` and `test/typed-calls/cases/<id>.ts`. (`cases/swagger-2.yaml` is not
 * here: it is the case that must not generate.)
 */
export const CASES = {
  "no-security": { id: "no-security", file: "cases/no-security.yaml" },
  "basic-or-bearer": { id: "basic-or-bearer", file: "cases/basic-or-bearer.yaml" },
  "cookie-or-header": { id: "cookie-or-header", file: "cases/cookie-or-header.yaml" },
  "two-api-keys": { id: "two-api-keys", file: "cases/two-api-keys.yaml" },
  "nested-form": { id: "nested-form", file: "cases/nested-form.yaml" },
  "multipart-retry": { id: "multipart-retry", file: "cases/multipart-retry.yaml" },
  "declared-402": { id: "declared-402", file: "cases/declared-402.yaml" },
  "error-without-code": { id: "error-without-code", file: "cases/error-without-code.yaml" },
  "server-variables": { id: "server-variables", file: "cases/server-variables.yaml" },
  "openid-connect": { id: "openid-connect", file: "cases/openid-connect.yaml" },
  "client-secret-basic": { id: "client-secret-basic", file: "cases/client-secret-basic.yaml" },
} as const satisfies Record<string, CorpusSpec>;

export type CaseId = keyof typeof CASES;

export const CASE_IDS = Object.keys(CASES) as CaseId[];

/** A spec the helpers generate: a real one of the corpus or a minimal case. */
export type SpecId = CorpusId | CaseId;

/** Every spec the helpers generate, by id (corpus and case ids never collide). */
export const SPECS: Readonly<Record<SpecId, CorpusSpec>> = { ...CORPUS, ...CASES };
