import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

/**
 * Every TypeScript block of the READMEs below type-checks as written, against the real packages:
 * a renamed option, a wrong path or an error code the spec does not declare fails here.
 */
const root = fileURLToPath(new URL("../../", import.meta.url));
const workDir = fileURLToPath(new URL("../.readme-snippets/", import.meta.url));
const READMES = ["README.md", "packages/core/README.md"];

function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
}

describe("README", () => {
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it.each(READMES)("%s has TypeScript blocks that compile as written", (readme) => {
    const blocks = tsBlocks(readFileSync(`${root}${readme}`, "utf8"));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    mkdirSync(workDir, { recursive: true });
    const prefix = readme.replace(/[^a-z]+/gi, "-");
    const files = blocks.map((code, index) => {
      const file = `${workDir}${prefix}block-${index + 1}.ts`;
      // Each block is its own module, as a user would paste it into a file of their own.
      writeFileSync(file, `${code}\nexport {};\n`);
      return file;
    });
    const configFile = ts.readConfigFile(`${root}tsconfig.base.json`, (path) => ts.sys.readFile(path));
    const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
    const program = ts.createProgram(files, { ...options, types: ["node"], noEmit: true });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && files.includes(d.file.fileName))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${d.file!.fileName.slice(workDir.length)}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
    expect(problems).toEqual([]);
  }, 300_000);
});
