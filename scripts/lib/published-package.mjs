/**
 * What a published package is: the tarball `pnpm pack` makes of a package directory. pnpm
 * replaces `exports` with `publishConfig.exports` (the workspace's map without the
 * `@portico/source` condition, whose `src/` is not published) and `workspace:` ranges with real
 * ones. Used by `lint-package.mjs` (each package's `lint`) and `consumer-apps.mjs`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The export condition that points the workspace at TypeScript sources. */
export const SOURCE_CONDITION = "@portico/source";

/** `exports` as it must be published: the workspace's map without the source condition. */
export function withoutSourceCondition(exports) {
  if (typeof exports !== "object" || exports === null || Array.isArray(exports)) return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => key !== SOURCE_CONDITION)
      .map(([key, value]) => [key, withoutSourceCondition(value)]),
  );
}

/** Problems of a workspace manifest whose published `exports` would differ from its own. */
export function manifestProblems(pkg) {
  if (pkg.exports === undefined) return [];
  const want = withoutSourceCondition(pkg.exports);
  if (JSON.stringify(pkg.publishConfig?.exports) === JSON.stringify(want)) return [];
  return [
    `${pkg.name}: "publishConfig.exports" must be "exports" without the "${SOURCE_CONDITION}" condition (pnpm publishes it in place of "exports"); ` +
      `after changing "exports", set it to:\n${JSON.stringify(want, null, 2)}`,
  ];
}

/** Packs `dir` with pnpm into `dest`; returns the tarball's path. */
export function pack(dir, dest) {
  const out = execFileSync("pnpm", ["pack", "--pack-destination", dest, "--json"], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out.slice(out.indexOf("{"))).filename;
}

/** The files of a tarball (without the `package/` prefix) and its `package.json`. */
export function readTarball(tarball) {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line.length > 0 && !line.endsWith("/"))
    .map((line) => line.replace(/^package\//, ""));
  const manifest = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
  return { files, manifest };
}

/** Every file path a manifest points at: export targets (per condition), main, module, types, bin. */
function* targets(manifest) {
  function* walk(value, where) {
    if (typeof value === "string") yield { where, target: value };
    else if (Array.isArray(value)) for (const item of value) yield* walk(item, where);
    else if (typeof value === "object" && value !== null) for (const [key, inner] of Object.entries(value)) yield* walk(inner, `${where} → ${key}`);
  }
  yield* walk(manifest.exports, "exports");
  for (const field of ["main", "module", "types", "typings"]) if (typeof manifest[field] === "string") yield { where: field, target: manifest[field] };
  yield* walk(typeof manifest.bin === "string" ? { [manifest.name]: manifest.bin } : manifest.bin, "bin");
}

/**
 * Problems of a packed tarball: a target outside it (a condition pointing at `src/`), a
 * `workspace:` range, a missing LICENSE or one that differs from the repository's.
 */
export function tarballProblems(tarball, { license }) {
  const { files, manifest } = readTarball(tarball);
  const have = new Set(files);
  const problems = [];
  for (const { where, target } of targets(manifest)) {
    const path = target.replace(/^\.\//, "");
    const found = path.includes("*") ? files.some((file) => file.startsWith(path.slice(0, path.indexOf("*")))) : have.has(path);
    if (!found) problems.push(`${manifest.name}: ${where} points at ${target}, which the tarball does not contain`);
  }
  if (JSON.stringify(manifest).includes(SOURCE_CONDITION)) problems.push(`${manifest.name}: the published package.json still names the "${SOURCE_CONDITION}" condition`);
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith("workspace:")) problems.push(`${manifest.name}: ${field}.${name} is still "${range}" (publish with pnpm, which replaces workspace: ranges)`);
    }
  }
  if (!have.has("LICENSE")) problems.push(`${manifest.name}: the tarball has no LICENSE (copy the repository's LICENSE into the package directory)`);
  else if (execFileSync("tar", ["-xzOf", tarball, "package/LICENSE"], { encoding: "utf8" }) !== license) {
    problems.push(`${manifest.name}: its LICENSE differs from the repository's LICENSE (copy it again)`);
  }
  return problems;
}

/** The repository's LICENSE text. */
export function repositoryLicense(root) {
  return readFileSync(join(root, "LICENSE"), "utf8");
}
