/**
 * Typed client for the Arrotech Hub API, generated from `specs/arrotech.yaml` by `@portico/codegen`
 * (`pnpm generate` writes `src/generated/`). Behaviour lives in `@portico/core`.
 */
export { createArrotechApiClient, descriptor as arrotechDescriptor } from "./generated/index.js";
export type {
  ArrotechApiClient,
  ArrotechApiClientOptions,
  ArrotechApiPaths,
  ArrotechPaginatedOperations,
  ArrotechCredentialKind,
  ArrotechSecuritySchemes,
  ArrotechServerVariables,
  OperationCredentialKinds,
  components,
  operations,
  paths,
} from "./generated/index.js";
