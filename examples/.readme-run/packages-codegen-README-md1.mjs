import { readFileSync } from "node:fs";
import { generate, generateFromSource, readApiModel } from "@portico/codegen";
// Writes the module (only the files that changed): { files, changed, warnings }.
const written = await generate({ spec: "openapi.json", out: "src/generated", check: false, client: { name: "GitHub" } });
// The same module in memory, from the spec's text: { files, warnings }.
const text = readFileSync("openapi.json", "utf8");
const module = await generateFromSource(text, { file: "openapi.json", client: { package: "@acme/github-client" } });
const model = readApiModel(text); // the metadata, for tools and tests (model.warnings included)
