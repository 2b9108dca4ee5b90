import { basename } from "node:path";
import { parseLocalRef } from "../spec/json-pointer.js";
import type { SpecSource } from "../spec/parse-source.js";
import type { OpenApiDocument, ServerObject } from "../spec/validate-document.js";
import type { ApiModel, ServerDescriptor } from "./api-model.js";
import { readOperations } from "./read-operations.js";
import { kindsOf, readSecuritySchemes } from "./read-security.js";

/** Reads everything the generated files need from a validated document. */
export function buildApiModel(source: SpecSource, document: OpenApiDocument): ApiModel {
  const client = readClient(source, document);
  const schemes = readSecuritySchemes(source, document);
  const security = document.security ?? [];
  kindsOf(source, schemes, security, ["security"]);
  const claims = document["x-portico-claims"];
  return {
    name: client.name.toLowerCase(),
    clientName: client.name,
    packageName: client.package,
    specFile: basename(source.file),
    title: document.info.title,
    servers: (document.servers ?? []).map(readServer),
    securitySchemes: schemes.descriptors,
    security,
    operations: readOperations(source, document, schemes),
    ...(claims === undefined ? {} : { claims }),
    ...readEvents(source, document),
  };
}

function readClient(source: SpecSource, document: OpenApiDocument): { name: string; package: string } {
  const atRoot = document["x-portico-client"];
  const inInfo = document.info["x-portico-client"];
  if (atRoot !== undefined && inInfo !== undefined) {
    throw source.error("SPEC_INVALID", '"x-portico-client" is declared twice (root and info); keep one', ["info", "x-portico-client"]);
  }
  // The spec's own declaration wins over the `--name`/`--package` options.
  const client = atRoot ?? inInfo ?? source.options.client;
  if (client === undefined) {
    throw source.error("SPEC_INVALID", '"x-portico-client" is required under "info", e.g. { name: "Petstore", package: "@acme/petstore-client" } (the factory becomes createPetstoreApiClient), or pass --name and --package', []);
  }
  return client;
}

/** Server URL with its variables set to their defaults. */
function readServer(server: ServerObject): ServerDescriptor {
  const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => server.variables?.[name]?.default ?? whole);
  const environment = server["x-portico-environment"];
  return environment === undefined ? { url } : { url, environment };
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
