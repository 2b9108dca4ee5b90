import { basename } from "node:path";
import { HTTP_METHODS } from "../spec/check-extensions.js";
import { parseLocalRef } from "../spec/json-pointer.js";
import type { SpecSource } from "../spec/parse-source.js";
import type { OpenApiDocument, PathItemObject } from "../spec/validate-document.js";
import type { ApiModel } from "./api-model.js";
import { clientNameFromTitle, packageNameOf, wordsOf } from "./client-name.js";
import { apiKinds, checkSecurity } from "./credential-kinds.js";
import { readOperations } from "./read-operations.js";
import { readSecuritySchemes } from "./read-security.js";
import { readServer } from "./read-servers.js";

/** Reads everything the generated files need from a validated document. */
export function buildApiModel(source: SpecSource, document: OpenApiDocument): ApiModel {
  const client = readClient(source, document);
  const { schemes, warnings } = readSecuritySchemes(source, document);
  const security = document.security;
  if (security !== undefined) checkSecurity(source, schemes, security, ["security"]);
  // A requirement that names a scheme says how the API authenticates; `[]` and `{}` only say "public".
  const declaresRequirements = namesAScheme(security) || Object.values(document.paths ?? {}).some((item) => hasOwnSecurity(item));
  const kinds = apiKinds(schemes, declaresRequirements);
  const claims = document["x-portico-claims"];
  return {
    name: client.name.toLowerCase(),
    clientName: client.name,
    packageName: client.package,
    specFile: basename(source.file),
    title: commentText(document.info.title) || client.name,
    servers: (document.servers ?? []).map(readServer),
    securitySchemes: schemes,
    ...(security === undefined ? {} : { security }),
    kinds,
    operations: readOperations(source, document, { schemes, security, kinds }),
    ...(claims === undefined ? {} : { claims }),
    ...readEvents(source, document),
    warnings,
  };
}

/** The title on one line, safe inside a generated doc comment (no comment terminator). */
function commentText(text: string): string {
  return text.replace(/\s+/g, " ").replaceAll("*/", "*\\/").trim();
}

/** Whether an operation of the path item declares a requirement of its own that names a scheme. */
function hasOwnSecurity(item: PathItemObject | undefined): boolean {
  return item !== undefined && HTTP_METHODS.some((method) => namesAScheme(item[method]?.security));
}

function namesAScheme(security: readonly Readonly<Record<string, unknown>>[] | undefined): boolean {
  return security !== undefined && security.some((requirement) => Object.keys(requirement).length > 0);
}

/**
 * Client name and package: `x-portico-client` (under `info` or at the root), else the `client`
 * option (`--name`, `--package`), else derived from `info.title`; a missing package is derived
 * from the name.
 */
function readClient(source: SpecSource, document: OpenApiDocument): { name: string; package: string } {
  const atRoot = document["x-portico-client"];
  const inInfo = document.info["x-portico-client"];
  if (atRoot !== undefined && inInfo !== undefined) {
    throw source.error("SPEC_INVALID", '"x-portico-client" is declared twice (root and info); keep one', ["info", "x-portico-client"]);
  }
  const declared = atRoot ?? inInfo;
  const given = source.options.client;
  const name = declared?.name ?? given?.name;
  const derived = name === undefined ? clientNameFromTitle(document.info.title) : { name, words: wordsOf(name) };
  return { name: derived.name, package: declared?.package ?? given?.package ?? packageNameOf(derived.words) };
}

function readEvents(source: SpecSource, document: OpenApiDocument): Pick<ApiModel, "events"> {
  const events = document["x-portico-events"];
  if (events === undefined) return {};
  const target = parseLocalRef(events.schema.$ref);
  const [components, schemas, name, ...rest] = target ?? [];
  if (components !== "components" || schemas !== "schemas" || name === undefined || rest.length > 0) {
    throw source.error("SPEC_UNSUPPORTED", 'the events schema must be a "#/components/schemas/<Name>" reference', ["x-portico-events", "schema", "$ref"]);
  }
  return { events: { path: events.path, schemaName: name } };
}
