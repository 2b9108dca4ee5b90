/**
 * The pagination stage: adds `client.paginate("GET /v1/items", init)`, which pages through a list
 * operation for the caller (cursor, offset, page number or RFC 8288 `Link` headers, as the
 * operation's `pagination` descriptor says). Every page is one call through the client's whole
 * call path (`this[CALL]`), so credentials, retries, credits, rate limits and typed errors apply
 * to each. A generated client includes it when its spec has a list operation; the paging itself
 * (`paging.ts`) loads when the first page is asked for.
 */
import type { Stage, StageClient } from "../client/stage.js";
import { missingChunkError } from "../internal/missing-chunk.js";
import { excerpt } from "../internal/redact.js";
import type { Page, Paginated, PaginationProgress } from "./pagination-types.js";

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

/**
 * The pages, once the paging code is loaded. If it cannot be loaded (a chunk the app no longer
 * serves after a deployment, or a page gone offline), the iteration throws `NETWORK_ERROR`, no
 * page asked for, whose message says so and how to fix it; the next iteration tries to load it again.
 */
async function* pagesOf(client: StageClient, key: string, init: Init | undefined): AsyncGenerator<Page<unknown>, void, undefined> {
  let paging: typeof import("./paging.js");
  try {
    paging = await import("./paging.js");
  } catch (thrown) {
    const operation = excerpt(String(key), 128);
    const progress: PaginationProgress = { operation, pages: 0, items: 0 };
    throw missingChunkError({ code: "NETWORK_ERROR", notDone: `No page of ${operation} was asked for`, module: "paging", loadedWith: "the first page of client.paginate()" }, thrown, {
      pagination: progress,
    });
  }
  yield* paging.pagesOf(client, key, init);
}

/** `paginate`: pages through the operation's list. */
export const paginationStage: Stage = { name: "pagination", methods: { paginate } };
