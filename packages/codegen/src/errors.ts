import { formatPointer } from "./spec/json-pointer.js";

/** Stable codes of the errors codegen reports. */
export type CodegenErrorCode =
  /** The spec file could not be read. */
  | "SPEC_NOT_FOUND"
  /** The spec is not well-formed YAML or JSON. */
  | "SPEC_PARSE_ERROR"
  /** The spec breaks OpenAPI or a documented `x-portico-*` rule. */
  | "SPEC_INVALID"
  /** The spec uses something codegen does not read (Swagger 2.0, an OpenAPI version other than 3.0/3.1, an external `$ref`). */
  | "SPEC_UNSUPPORTED"
  /** `--check` found generated files that differ from what the spec produces. */
  | "OUTPUT_STALE";

/** Where in a spec a problem is. */
export interface SpecLocation {
  /** Spec file as given (used only in the message). */
  readonly file: string;
  /** 1-based line, when known. */
  readonly line?: number | undefined;
  /** JSON pointer segments (unencoded) of the offending value. */
  readonly pointer?: readonly string[] | undefined;
}

/**
 * An invalid or unsupported spec, or stale output. The message reads
 * `file:line #/json/pointer: reason`, e.g. `specs/eudr.yaml:42 #/paths/~1suppliers/get/security/0/jwt: security scheme "jwt" is not declared in components.securitySchemes`.
 */
export class CodegenError extends Error {
  override readonly name = "CodegenError";
  readonly code: CodegenErrorCode;
  readonly file: string;
  readonly line: number | undefined;
  /** Encoded JSON pointer (`#/paths/~1items/get`), or `undefined` for file-level problems. */
  readonly pointer: string | undefined;
  /** The reason alone, without the location prefix. */
  readonly reason: string;

  constructor(code: CodegenErrorCode, reason: string, location: SpecLocation) {
    const pointer = location.pointer === undefined ? undefined : formatPointer(location.pointer);
    const where = `${location.file}${location.line === undefined ? "" : `:${location.line}`}`;
    super(`${where}${pointer === undefined ? "" : ` ${pointer}`}: ${reason}`);
    this.code = code;
    this.file = location.file;
    this.line = location.line;
    this.pointer = pointer;
    this.reason = reason;
  }
}
