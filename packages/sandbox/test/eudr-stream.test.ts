/**
 * The EUDR sync-log stream through the generated client: cut mid-event by the sandbox, resumed
 * with `Last-Event-ID`, with no entry lost or duplicated. Reconnect waits use an injected clock.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createEudrApiClient } from "@nentropy/api-client";
import { createEudrSandbox, type EudrControl } from "../src/apis/eudr/index.js";
import { runSandbox, type RunningSandbox } from "../src/framework/run-sandbox.js";

let sandbox: RunningSandbox<"eudr">;
let control: EudrControl;
beforeAll(async () => {
  sandbox = await runSandbox({ eudr: createEudrSandbox }, { apis: ["eudr"] });
  control = sandbox.apis.eudr.control;
});
afterAll(() => sandbox?.stop());

it("resumes a sync-log stream cut mid-event with Last-Event-ID: every entry once, in order", async () => {
  const sleeps: number[] = [];
  const clock = { now: () => Date.now(), sleep: async (ms: number) => (sleeps.push(ms), true) };
  const eudr = createEudrApiClient({ baseUrl: control.baseUrl, headers: { authorization: `Bearer ${control.seeded.tokens.acme.token}` }, clock });
  const all = [];
  for await (const event of eudr.stream("GET /sync/logs/stream")) all.push(event);
  expect(all.length).toBeGreaterThanOrEqual(3);

  control.cutSyncLogStream(1);
  const resumed = [];
  for await (const event of eudr.stream("GET /sync/logs/stream")) resumed.push(event);
  expect(resumed.map((e) => e.data.id)).toEqual(all.map((e) => e.data.id));
  expect(resumed.map((e) => e.id)).toEqual(all.map((_, i) => String(i + 1)));
  expect(resumed[0]?.event).toBe("sync-log");
  // One reconnect, after the `retry: 1000` the stream opened with, waited on the injected clock.
  expect(sleeps).toEqual([1000]);
});
