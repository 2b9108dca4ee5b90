/**
 * Typed client for the Nentropy EUDR Integration API, generated from `specs/eudr.yaml` by `@portico/codegen`
 * (`pnpm generate` writes `src/generated/`). Behaviour lives in `@portico/core`.
 */
export { createEudrApiClient, descriptor as eudrDescriptor } from "./generated/index.js";
export type {
  EudrApiClient,
  EudrApiClientOptions,
  EudrApiPaths,
  EudrPaginatedOperations,
  EudrCredentialKind,
  EudrSecuritySchemes,
  EudrServerVariables,
  OperationCredentialKinds,
  components,
  operations,
  paths,
} from "./generated/index.js";
