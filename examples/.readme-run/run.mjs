import { readFileSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import ts from "typescript";
const out = "/work/main/examples/.readme-run/";
for (const readme of ["README.md", "packages/core/README.md", "packages/node/README.md", "packages/browser/README.md", "packages/codegen/README.md"]) {
  const md = readFileSync("/work/main/" + readme, "utf8");
  const blocks = [...md.matchAll(/```(ts|js|mjs)\n([\s\S]*?)```/g)].map((m) => m[2]);
  blocks.forEach((code, i) => {
    const js = ts.transpileModule(code + "\nexport {};\n", { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const file = `${out}${readme.replace(/[^a-z]+/gi, "-")}${i + 1}.mjs`;
    writeFileSync(file, js);
    try {
      const r = execFileSync(process.execPath, [file], { timeout: 20000, env: { ...process.env, IMS_CLIENT_ID: "id", IMS_CLIENT_SECRET: "secret-123456789", IMS_ACCESS_TOKEN: "tok" }, stdio: ["ignore", "pipe", "pipe"] });
      console.log("OK  ", readme, i + 1, r.toString().trim().slice(0, 120).replace(/\n/g, " | "));
    } catch (e) {
      console.log("FAIL", readme, i + 1, (e.stderr?.toString() || e.message).split("\n").filter(Boolean).slice(0, 4).join(" | ").slice(0, 400));
    }
  });
}
