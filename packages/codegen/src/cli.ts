import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CodegenError } from "./errors.js";

const HELP = `Usage: portico generate <spec> --out <dir> [--check] [--name <Name>] [--package <pkg>]

Generates a typed portico API client from an OpenAPI 3.0 or 3.1 document (YAML or JSON). Any valid
document works as it is: no x-portico-* extension and no option is needed.
  schema.ts            openapi-typescript types (paths, components, operations)
  descriptor.ts        the ApiDescriptor table read by @portico/core (security schemes, servers,
                       per operation: security, request media type, declared errors, credits)
  errors.ts            zod/mini schemas of the declared JSON error bodies
  credential-kinds.ts  the credential kind of each security scheme and of each operation
  client.ts            create<Name>ApiClient(options) and its types
  index.ts             the module's public names

Options:
  -o, --out <dir>       output directory (required)
      --check           do not write; exit 1 if the files on disk are out of date
      --name <Name>     client name (PascalCase: the factory is create<Name>ApiClient)
                        @default from info.title, e.g. "GitHub v3 REST API" → GitHub;
                        the spec's x-portico-client wins
      --package <pkg>   npm package named in the generated docs
                        @default the name in kebab-case + "-api-client"
      --lenient-errors  deprecated, no effect: every declared error response is read,
                        with or without a code enum
  -h, --help            show this help
  -v, --version         print the version of @portico/codegen

Warnings (what the spec declares that the client will not do) are printed on stderr; they do
not change the exit code.
Exit codes: 0 success, 1 invalid or unsupported spec or stale output, 2 usage error.
`;

/** Runs the CLI with `argv` (without node and script), returns the exit code. */
export async function main(argv: readonly string[], out = process.stdout, err = process.stderr): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        out: { type: "string", short: "o" },
        check: { type: "boolean", default: false },
        name: { type: "string" },
        package: { type: "string" },
        "lenient-errors": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    });
  } catch (cause) {
    err.write(`portico: ${(cause as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.write(HELP);
    return 0;
  }
  if (values.version) {
    out.write(`${version()}\n`);
    return 0;
  }
  const [command, spec, ...extra] = positionals;
  if (command !== "generate" || spec === undefined || extra.length > 0 || values.out === undefined) {
    const problem =
      command !== "generate"
        ? command === undefined ? "missing command" : `unknown command "${command}"`
        : spec === undefined ? "missing <spec>" : extra.length > 0 ? `unexpected argument "${extra[0]}"` : "missing --out <dir>";
    err.write(`portico: ${problem}\n\n${HELP}`);
    return 2;
  }
  const client = {
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.package === undefined ? {} : { package: values.package }),
  };
  try {
    // Loaded here, not at the top: the generator pulls in openapi-typescript, TypeScript and the
    // YAML parsers (about a second of startup), which --help and --version never need.
    const { generate } = await import("./write-output.js");
    const result = await generate({
      spec,
      out: values.out,
      check: values.check,
      ...(Object.keys(client).length === 0 ? {} : { client }),
    });
    for (const warning of result.warnings) err.write(`portico: warning: ${warning.message}\n`);
    const verb = values.check ? "up to date" : result.changed.length === 0 ? "unchanged" : `${result.changed.length} file(s) written`;
    out.write(`portico: ${spec} → ${values.out} (${verb})\n`);
    return 0;
  } catch (cause) {
    if (cause instanceof CodegenError) {
      err.write(`${cause.message}\n`);
      return 1;
    }
    throw cause;
  }
}

/** The version in @portico/codegen's package.json (one level above both `src/` and `dist/`). */
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}
