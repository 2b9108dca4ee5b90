/**
 * Typed client for the ERIP API, generated from `specs/erip.yaml` by `@portico/codegen`
 * (`pnpm generate` writes `src/generated/`). Behaviour lives in `@portico/core`.
 */
export { createEripApiClient, descriptor as eripDescriptor } from "./generated/index.js";
export type {
  EripApiClient,
  EripApiClientOptions,
  EripApiPaths,
  EripPaginatedOperations,
  EripCredentialKind,
  EripSecuritySchemes,
  EripServerVariables,
  OperationCredentialKinds,
  components,
  operations,
  paths,
} from "./generated/index.js";
