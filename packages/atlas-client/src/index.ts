/**
 * Typed client for the Atlas SoftPOS Commerce API, generated from `specs/atlas.yaml` by `@portico/codegen`
 * (`pnpm generate` writes `src/generated/`). Behaviour lives in `@portico/core`.
 */
export { atlasEvents, createAtlasApiClient, descriptor as atlasDescriptor } from "./generated/index.js";
export type {
  AtlasApiClient,
  AtlasApiClientOptions,
  AtlasApiPaths,
  AtlasPaginatedOperations,
  AtlasCredentialKind,
  AtlasSecuritySchemes,
  AtlasServerVariables,
  AtlasEventMessage,
  OperationCredentialKinds,
  components,
  operations,
  paths,
} from "./generated/index.js";
