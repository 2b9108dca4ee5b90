/**
 * The pagination stage: adds `client.paginate("GET /v1/items", init)`, which pages through a list
 * operation for the caller (cursor, offset, page number or RFC 8288 `Link` headers, as the
 * operation's `pagination` descriptor says). Every page is one call through the client's whole
 * call path (`this[CALL]`), so credentials, retries, credits, rate limits and typed errors apply
 * to each. A generated client includes it when its spec has a list operation; the paging itself
 * (`paging.ts`) loads when the first page is asked for.
 */
import type { Stage, StageClient } from "../client/stage.js";
import type { Page, Paginated } from "./pagination-types.js";

type Init = Record<string, unknown>;

/** `client.paginate(key, init)`: a list of pages and items; see `Paginated`. */
function paginate(this: StageClient, key: string, init?: Init): Paginated<unknown> {
  const client = this;
  const pages = (): AsyncIterable<Page<unknown>> => ({ [Symbol.asyncIterator]: () => pagesOf(client, key, init) });
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items;
    },
  };
}

/** The pages, once the paging code is loaded. */
async function* pagesOf(client: StageClient, key: string, init: Init | undefined): AsyncGenerator<Page<unknown>, void, undefined> {
  const paging = await import("./paging.js");
  yield* paging.pagesOf(client, key, init);
}

/** `paginate`: pages through the operation's list. */
export const paginationStage: Stage = { name: "pagination", methods: { paginate } };
