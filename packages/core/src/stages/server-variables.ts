/**
 * The server-variables stage: the base URL of a client given no `baseUrl`, from the spec's first
 * server with its variables filled from `serverVariables` (or their usable defaults). A
 * generated client includes it when its spec's servers have variables.
 */
import type { Stage } from "../client/stage.js";
import { serverUrl } from "../client/server-url.js";

/** `serverVariables`: `https://{region}.api.example.com` filled in. */
export const serverVariablesStage: Stage = { name: "serverVariables", options: ["serverVariables"], serverUrl };
