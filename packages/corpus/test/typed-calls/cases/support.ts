// Type assertions for the typed-call files of the cases (checked by `tsc` in typecheck.test.ts).

/** `true` when `A` and `B` are the same type (not merely assignable one way). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when `T` is `true`: `expectType<Equal<typeof x, Expected>>(true)`. */
export function expectType<T extends true>(_: T): void {}
