/**
 * Loads portico's token endpoint client (`token-exchange.ts`) with the first token request a
 * credential makes, so that an app's bundle carries it in a chunk of its own.
 */
import { missingChunkError } from "../internal/missing-chunk.js";

/**
 * The token endpoint client (build the grant's request, POST it, read the answer). If it cannot
 * be loaded (a chunk the app no longer serves after a deployment, or a page gone offline), the
 * token request fails as one that got no answer does: `TOKEN_REFRESH_FAILED`, nothing sent,
 * whose message says so and how to fix it; the next token request tries to load it again.
 */
export async function loadTokenExchange(): Promise<typeof import("./token-exchange.js")> {
  try {
    return await import("./token-exchange.js");
  } catch (thrown) {
    throw missingChunkError({ code: "TOKEN_REFRESH_FAILED", notDone: "The token request was not sent", module: "token endpoint client", loadedWith: "the first token request" }, thrown);
  }
}
