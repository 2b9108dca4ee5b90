/**
 * Type-checks generated modules in memory, in one TypeScript program (one `tsc` run for any
 * number of modules), under the flags generated code promises to compile with. Returns the
 * diagnostics of the virtual files only, as `module/file:line: message`.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** Virtual modules live here: imports of `@portico/core` and `zod/mini` resolve from the codegen package. */
const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "__generated__");

/** `strict` and the stricter flags users turn on. */
export const generatedCodeOptions: ts.CompilerOptions = {
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: ["@portico/source"],
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: [],
  skipLibCheck: true,
  noEmit: true,
};

/** Module name → file path → contents. */
export type Modules = Readonly<Record<string, Readonly<Record<string, string>>>>;

export function typeCheck(modules: Modules, options: ts.CompilerOptions = generatedCodeOptions): string[] {
  const virtual = new Map<string, string>();
  for (const [name, files] of Object.entries(modules)) {
    for (const [path, text] of Object.entries(files)) virtual.set(join(root, name, path), text);
  }
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const directories = new Set([...virtual.keys()].flatMap((path) => [root, join(path, "..")]));
  host.fileExists = (path) => virtual.has(path) || ts.sys.fileExists(path);
  host.directoryExists = (path) => directories.has(path) || ts.sys.directoryExists(path);
  host.readFile = (path) => virtual.get(path) ?? readFile(path);
  host.getSourceFile = (path, language, onError) => {
    const text = virtual.get(path);
    return text === undefined ? getSourceFile(path, language, onError) : ts.createSourceFile(path, text, language);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  return [...virtual.keys()].flatMap((path) => {
    const source = program.getSourceFile(path);
    if (source === undefined) return [`${path}: not in the program`];
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
      const at = d.start === undefined ? "" : `:${source.getLineAndCharacterOfPosition(d.start).line + 1}`;
      return `${path.slice(root.length + 1)}${at}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
  });
}
