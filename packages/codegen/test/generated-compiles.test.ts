import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { generateFromSource } from "../src/index.js";
import { plainSpecText } from "./support/spec.js";
import { typeCheck } from "./support/type-check.js";

const here = fileURLToPath(new URL(".", import.meta.url));

/** A consumer of the `shapes` module: server variables and credentials by scheme are typed. */
const shapesUsage = `
import { createShapesApiClient, type ShapesServerVariables } from "./index.js";

export const eu = createShapesApiClient({ serverVariables: { region: "eu", basePath: "v3" } });
// @ts-expect-error region is one of the spec's enum values
export const mars = createShapesApiClient({ serverVariables: { region: "mars" } });
// @ts-expect-error unknown variable
export const typo: ShapesServerVariables = { regoin: "eu" };
`;

/**
 * A consumer of the `mini` module's events channel: `connectEvents` of `@portico/node` and
 * `@portico/browser` infers its message type from the channel as `receive` does here.
 */
const miniUsage = `
import type { EventsChannel } from "@portico/core";
import { miniEvents, type MiniEventMessage } from "./index.js";

declare function receive<M>(channel: EventsChannel<M>): M;
export const message: MiniEventMessage = receive(miniEvents);
export const type: "sale.completed" = receive(miniEvents).type;
export const path: string = miniEvents.path;
// @ts-expect-error the message type flows from the channel: not unknown, not any
export const notANumber: number = receive(miniEvents);
// @ts-expect-error a channel of one message type is not a channel of another
export const other: EventsChannel<{ readonly orderId: string }> = miniEvents;
`;

async function filesOf(text: string, file: string): Promise<Record<string, string>> {
  const { files } = await generateFromSource(text, { file });
  return Object.fromEntries(files.map((f) => [f.path, f.contents]));
}

describe("generated code compiles under strict, noUnusedLocals, noUnusedParameters, exactOptionalPropertyTypes", () => {
  it("for the fixtures, a spec with no security and no error bodies, an odd title, and consumers of server variables and of the events channel", async () => {
    const fixture = (name: string) => readFile(join(here, "fixtures", name), "utf8");
    const modules = {
      mini: { ...(await filesOf(await fixture("mini.yaml"), "mini.yaml")), "usage.ts": miniUsage },
      shapes: { ...(await filesOf(await fixture("shapes.yaml"), "shapes.yaml")), "usage.ts": shapesUsage },
      plain: await filesOf(plainSpecText({ paths: { "/ping": { get: { responses: { "200": { description: "OK." }, "503": { description: "Down." } } } } } }), "plain.yaml"),
      // A title that would end a comment early, on two lines.
      weird: await filesOf(plainSpecText({ info: { title: "Weird */ API\n(2024-01-01)" }, paths: { "/a": { get: { responses: { "200": { description: "OK." } } } } } }), "weird.yaml"),
    };
    expect(typeCheck(modules)).toEqual([]);
  });

  it("would report what it guards against (an unused import, a missing module)", () => {
    const errors = typeCheck({ control: { "a.ts": 'import * as z from "zod/mini";\nimport { nothing } from "./missing.js";\nexport const n = nothing;\n' } });
    expect(errors).toEqual([
      "control/a.ts:1: 'z' is declared but its value is never read.",
      "control/a.ts:2: Cannot find module './missing.js' or its corresponding type declarations.",
    ]);
  });
});
