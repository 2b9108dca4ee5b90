import { createHash, randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_DIR, SPECS, type CorpusId, type SpecId } from "./corpus.js";

/** Gitignored output folder: `.generated/<id>/` (portico) and `.generated/openapi-typescript/<id>.ts`. */
export const GENERATED_DIR = join(PACKAGE_DIR, ".generated");
const CODEGEN_SRC = join(PACKAGE_DIR, "..", "codegen", "src");
const KEY_FILE = ".key";

/** Absolute path of a corpus or case spec file. */
export function specPath(id: SpecId): string {
  return join(PACKAGE_DIR, SPECS[id].file);
}

/** Output folder of the portico client generated for `id`. */
export function clientDir(id: SpecId): string {
  return join(GENERATED_DIR, id);
}

/** openapi-typescript's own output for `id`. */
export function openapiTypescriptFile(id: CorpusId): string {
  return join(GENERATED_DIR, "openapi-typescript", `${id}.ts`);
}

/**
 * Generates the portico client of `id` with `@portico/codegen`'s public `generate({ spec, out })`
 * and no other option (zero config: no name, no lenient flag, no `x-portico-*` added), into
 * `.generated/<id>/`.
 * Output is reused while the spec bytes and the codegen sources are unchanged (a key file records
 * both), and replaced atomically so parallel test files never read a half-written folder.
 * @throws whatever codegen throws for the spec (a `CodegenError` naming file and pointer).
 */
export async function ensureGenerated(id: SpecId): Promise<string> {
  const spec = await readFile(specPath(id));
  const key = hash([spec, await codegenFingerprint()]);
  const dir = clientDir(id);
  if ((await readKey(dir)) === key) return dir;
  const tmp = `${dir}.${randomUUID()}.tmp`;
  try {
    // Loaded only on a cache miss: codegen and openapi-typescript pull in the TypeScript compiler,
    // seconds of import per test file that reuses output generated earlier.
    const { generate } = await import("@portico/codegen");
    await generate({ spec: specPath(id), out: tmp });
    await writeFile(join(tmp, KEY_FILE), key);
    await publish(dir, key, tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}

/** Writes openapi-typescript's output for `id` (its defaults, as `npx openapi-typescript spec -o file` does). */
export async function ensureOpenapiTypescript(id: CorpusId): Promise<string> {
  const spec = await readFile(specPath(id));
  const key = hash([spec, Buffer.from(await otVersion())]);
  const file = openapiTypescriptFile(id);
  const keyFile = `${file}${KEY_FILE}`;
  if ((await readFile(keyFile, "utf8").catch(() => undefined)) === key) return file;
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const text = astToString(await openapiTS(spec.toString("utf8")));
  await mkdir(join(GENERATED_DIR, "openapi-typescript"), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
  await writeFile(keyFile, key);
  return file;
}

/** A generated client module: its exports, and the one `create<Name>ApiClient` factory among them. */
export interface LoadedClient {
  // The module is generated at test time, so its types are not known to this file.
  readonly module: Record<string, any>;
  readonly factoryName: string;
  readonly create: (options?: Record<string, unknown>) => any;
}

/** Generates (or reuses) the client of `id` and imports its `index.ts` (vitest transpiles it). */
export async function loadClient(id: SpecId): Promise<LoadedClient> {
  const dir = await ensureGenerated(id);
  const module = (await import(pathToFileURL(join(dir, "index.ts")).href)) as Record<string, unknown>;
  const factories = Object.keys(module).filter((name) => /^create\w+ApiClient$/.test(name) && typeof module[name] === "function");
  if (factories.length !== 1) {
    throw new Error(`${id}: expected exactly one create<Name>ApiClient export in index.ts, found ${JSON.stringify(factories)}`);
  }
  const factoryName = factories[0]!;
  return { module, factoryName, create: module[factoryName] as LoadedClient["create"] };
}

let fingerprint: Promise<Buffer> | undefined;

/** Hash of every codegen source file and the openapi-typescript version: generated output depends on both. */
function codegenFingerprint(): Promise<Buffer> {
  fingerprint ??= (async () => {
    const files = (await readdir(CODEGEN_SRC, { recursive: true })).filter((f) => f.endsWith(".ts")).sort();
    const parts: Buffer[] = [Buffer.from(await otVersion())];
    for (const file of files) parts.push(Buffer.from(file), await readFile(join(CODEGEN_SRC, file)));
    return Buffer.from(hash(parts), "hex");
  })();
  return fingerprint;
}

async function otVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(PACKAGE_DIR, "node_modules", "openapi-typescript", "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

function hash(parts: readonly Buffer[]): string {
  const h = createHash("sha256");
  for (const part of parts) h.update(part).update("\0");
  return h.digest("hex");
}

async function readKey(dir: string): Promise<string | undefined> {
  return readFile(join(dir, KEY_FILE), "utf8").catch(() => undefined);
}

/**
 * Moves a complete output folder (its key written last) into place. Another test process that
 * finished the same generation first wins; its identical output is kept.
 */
async function publish(dir: string, key: string, tmp: string): Promise<void> {
  if ((await readKey(dir)) === key) return;
  await rm(dir, { recursive: true, force: true });
  try {
    await rename(tmp, dir);
  } catch (error) {
    // Another process moved its identical output into place in between.
    if ((await readKey(dir)) !== key) throw error;
  }
}
