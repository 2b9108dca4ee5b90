/**
 * The part of js-yaml 4 that `parse-source.ts` uses (js-yaml ships no types; `@types/js-yaml`
 * would be a dependency for four names).
 */
declare module "js-yaml" {
  export interface Type {
    readonly tag: string;
  }
  export interface Schema {
    extend(types: { implicit?: readonly Type[]; explicit?: readonly Type[] }): Schema;
  }
  export const JSON_SCHEMA: Schema;
  export const types: {
    readonly merge: Type;
    readonly binary: Type;
    readonly omap: Type;
    readonly pairs: Type;
    readonly set: Type;
  };
  export function load(text: string, options?: { schema?: Schema; filename?: string; json?: boolean }): unknown;
}
