export {
  generate,
  generateFromSource,
  readApiModel,
  type GeneratedFile,
  type GenerateFromSourceOptions,
  type GenerateOptions,
  type GenerateResult,
} from "./generate.js";
export { CodegenError, type CodegenErrorCode, type SpecLocation } from "./errors.js";
export { main as runCli } from "./cli.js";
export type {
  ApiModel,
  CredentialFormat,
  CredentialKind,
  ErrorResponseModel,
  OperationModel,
  SecurityRequirement,
  SecuritySchemeDescriptor,
  ServerDescriptor,
  ServerEnvironment,
} from "./model/api-model.js";
