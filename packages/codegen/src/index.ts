export {
  generateFromSource,
  readApiModel,
  type GeneratedFile,
  type GeneratedModule,
  type GenerateFromSourceOptions,
} from "./generate.js";
export { generate, type GenerateOptions, type GenerateResult } from "./write-output.js";
export { CodegenError, type CodegenErrorCode, type SpecLocation } from "./errors.js";
export type { CodegenWarning, CodegenWarningCode } from "./warnings.js";
export { clientNameFromTitle, type DerivedName } from "./model/client-name.js";
export { main as runCli } from "./cli.js";
export type {
  ApiModel,
  ErrorResponseModel,
  OperationModel,
  RequestBodyDescriptor,
  SchemeModel,
} from "./model/api-model.js";
