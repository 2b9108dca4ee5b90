/** One call of one operation, made through a generated client; keyed by `"METHOD /path"` as in the spec. */
export type OperationCall = () => Promise<{ readonly error?: unknown; readonly meta: { readonly status?: number } }>;

/** Every operation of a spec, each with at least one call. */
export type CallTable = Readonly<Record<string, OperationCall>>;
