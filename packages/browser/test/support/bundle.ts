import { build, type BuildOptions, type Metafile } from "esbuild";

/**
 * Bundles for the browser the way an app's bundler would, from the workspace sources (the
 * `@portico/source` export condition), in memory, and returns esbuild's metafile.
 */
export async function browserMetafile(options: BuildOptions): Promise<Metafile> {
  const result = await build({
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    platform: "browser",
    conditions: ["@portico/source"],
    logLevel: "silent",
    ...options,
  });
  if (result.metafile === undefined) throw new Error("esbuild returned no metafile");
  return result.metafile;
}
