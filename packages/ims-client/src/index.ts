/**
 * Typed client for the Atrope IMS API, generated from `specs/ims.yaml` by `@portico/codegen`
 * (`pnpm generate` writes `src/generated/`). Behaviour lives in `@portico/core`.
 */
export { createImsApiClient, descriptor as imsDescriptor } from "./generated/index.js";
export type {
  ImsApiClient,
  ImsApiClientOptions,
  ImsApiPaths,
  ImsPaginatedOperations,
  ImsCredentialKind,
  ImsSecuritySchemes,
  ImsServerVariables,
  OperationCredentialKinds,
  components,
  operations,
  paths,
} from "./generated/index.js";
