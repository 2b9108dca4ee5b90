#!/usr/bin/env node
/**
 * Lints what a package publishes (each published package's `lint` script, run in its directory):
 * its manifest's published `exports` match the workspace's, then the tarball `pnpm pack` makes
 * (the files and the package.json users get) passes publint (strict), attw (node16 profile) and
 * the tarball checks of `lib/published-package.mjs`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { manifestProblems, pack, repositoryLicense, tarballProblems } from "./lib/published-package.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));

const problems = manifestProblems(pkg);
const dest = mkdtempSync(join(tmpdir(), "portico-lint-"));
try {
  const tarball = pack(dir, dest);
  problems.push(...tarballProblems(tarball, { license: repositoryLicense(root) }));
  execFileSync(bin("publint"), [tarball, "--strict"], { stdio: "inherit" });
  execFileSync(bin("attw"), [tarball, "--profile", "node16"], { stdio: "inherit" });
} catch (error) {
  // publint and attw printed their findings above.
  problems.push(`${pkg.name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
} finally {
  rmSync(dest, { recursive: true, force: true });
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`lint-package: ${problem}`);
  process.exit(1);
}
console.log(`lint-package: ${pkg.name}: the packed tarball is clean`);
