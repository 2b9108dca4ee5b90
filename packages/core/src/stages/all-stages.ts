/**
 * Every stage, for a client built from a hand-written descriptor with `createClient`. A
 * generated client passes only the stages its spec uses instead, so its bundle holds no others.
 */
import type { Stage } from "../client/stage.js";
import { creditsStage } from "./credits.js";
import { formBodyStage } from "./form-body.js";
import { ietfRateLimitStage } from "./ietf-rate-limit.js";
import { multipartBodyStage } from "./multipart-body.js";
import { paginationStage } from "./pagination.js";
import { scopesStage } from "./scopes.js";
import { serverVariablesStage } from "./server-variables.js";
import { streamStage } from "./stream.js";

/** Every stage core has. */
export const allStages: readonly Stage[] = [creditsStage, ietfRateLimitStage, scopesStage, formBodyStage, multipartBodyStage, serverVariablesStage, paginationStage, streamStage];
