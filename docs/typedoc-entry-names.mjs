// @ts-check
/**
 * Names each entry module of a package after the import path users write: the package's main
 * entry (`src/index.ts`) is `@portico/core`, its other entries `@portico/core/opentelemetry` and
 * `@portico/core/testing`, instead of TypeDoc's file names ("index", "opentelemetry").
 */
import { Converter, ReflectionKind } from "typedoc";

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const pkg = context.project.packageName ?? context.project.name;
    for (const child of context.project.children ?? []) {
      if (!child.kindOf(ReflectionKind.Module)) continue;
      child.name = child.name === "index" ? pkg : `${pkg}/${child.name}`;
    }
  });
}
