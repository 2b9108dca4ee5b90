/**
 * The client options that belong to a stage are named twice: by each stage (`Stage.options`) and
 * by the construction check that refuses them on a client without that stage. The two lists agree.
 */
import { expect, test } from "vitest";
import { allStages } from "../stages/all-stages.js";
import { STAGE_OPTIONS } from "./options.js";

test("every option a stage reads is checked at construction, and every checked option has a stage", () => {
  const owned = new Set(allStages.flatMap((stage) => stage.options ?? []));
  expect([...owned].sort()).toEqual([...STAGE_OPTIONS].sort());
});
