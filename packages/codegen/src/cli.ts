import { parseArgs } from "node:util";
import { CodegenError } from "./errors.js";
import { generate } from "./generate.js";

const HELP = `Usage: portico generate <spec> --out <dir> [--check] [--name <Name> --package <pkg>] [--lenient-errors]

Generates a typed portico API client from an OpenAPI 3.0 or 3.1 spec (YAML or JSON):
  schema.ts            openapi-typescript types (paths, components, operations)
  descriptor.ts        the ApiDescriptor table read by @portico/core
  errors.ts            zod/mini schemas of the declared error bodies
  credential-kinds.ts  which credential kinds may call each operation
  client.ts            create<Name>ApiClient(options)
  index.ts             the module's public names

Options:
  -o, --out <dir>       output directory (required)
      --check           do not write; exit 1 if the files on disk are out of date
      --name <Name>     client name when the spec has no x-portico-client (PascalCase:
                        the factory is create<Name>ApiClient); needs --package
      --package <pkg>   npm package name when the spec has no x-portico-client; needs --name
      --lenient-errors  an error response whose JSON body has no "code" enum declares no
                        codes (its calls end in UNEXPECTED_RESPONSE) instead of failing
  -h, --help            show this help

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
  const [command, spec, ...extra] = positionals;
  if (command !== "generate" || spec === undefined || extra.length > 0 || values.out === undefined) {
    const problem =
      command !== "generate"
        ? command === undefined ? "missing command" : `unknown command "${command}"`
        : spec === undefined ? "missing <spec>" : extra.length > 0 ? `unexpected argument "${extra[0]}"` : "missing --out <dir>";
    err.write(`portico: ${problem}\n\n${HELP}`);
    return 2;
  }
  if ((values.name === undefined) !== (values.package === undefined)) {
    err.write(`portico: ${values.name === undefined ? "--package needs --name" : "--name needs --package"}\n\n${HELP}`);
    return 2;
  }
  try {
    const result = await generate({
      spec,
      out: values.out,
      check: values.check,
      lenientErrors: values["lenient-errors"],
      ...(values.name !== undefined && values.package !== undefined ? { client: { name: values.name, package: values.package } } : {}),
    });
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
