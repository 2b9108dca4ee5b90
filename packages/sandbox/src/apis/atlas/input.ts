/** The request as `specs/atlas.yaml` declares it, once `validateRequests` passed: `input(c, "createSale").body`. */
import type { operations } from "@atlas-softpos/api-client";
import { requestInput } from "../../framework/request-input.js";

export const input = requestInput<operations>();
