import type { CredentialKind } from "@portico/core";
import type { ApiModel, OperationModel } from "../model/api-model.js";

/** Operations that some credential kind of the API may not call. */
export function restrictedOperations(model: ApiModel): readonly OperationModel[] {
  return model.operations.filter((op) => model.kinds.some((k) => !op.kinds.includes(k)));
}

/** `"none" | "bearer"`. */
export function kindUnion(kinds: Iterable<CredentialKind>): string {
  return [...kinds].map((k) => JSON.stringify(k)).join(" | ");
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A property name as written in a type: bare when it is an identifier. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}
