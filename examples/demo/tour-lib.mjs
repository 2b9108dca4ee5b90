/**
 * The portico tour as a function: starts the sandbox on free loopback ports (unless one is given),
 * runs each step through a generated client, and returns what happened. `tour.mjs` prints it and
 * sets the exit code; the test suite calls it directly.
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox } from "@portico/sandbox";
import { createNarrator, duration, seconds } from "./narrator.mjs";
import { arrotechStep, title as arrotechTitle } from "./steps/arrotech.mjs";
import { atlasStep, title as atlasTitle } from "./steps/atlas.mjs";
import { eripStep, title as eripTitle } from "./steps/erip.mjs";
import { eudrStep, title as eudrTitle } from "./steps/eudr.mjs";
import { imsStep, title as imsTitle } from "./steps/ims.mjs";
import { listsStep, title as listsTitle } from "./steps/lists.mjs";

/** Token lifetime of the IMS issuer during the tour: short, so refresh-ahead shows within seconds. */
export const TOUR_IMS_TOKEN_LIFETIME_SECONDS = 4;

const here = dirname(fileURLToPath(import.meta.url));
/** A file of the demo as the tour prints it: relative to the repository root. */
const demoFile = (name) => relative(join(here, "..", ".."), join(here, name)).split("\\").join("/");

/** The sandbox step is the tour's own code (`startSandbox` of `@portico/sandbox`). */
const SANDBOX_FILE = demoFile("tour-lib.mjs");

const STEPS = [
  { name: "IMS", title: imsTitle, run: imsStep, file: demoFile("steps/ims.mjs") },
  { name: "EUDR", title: eudrTitle, run: eudrStep, file: demoFile("steps/eudr.mjs") },
  { name: "Atlas", title: atlasTitle, run: atlasStep, file: demoFile("steps/atlas.mjs") },
  { name: "Arrotech", title: arrotechTitle, run: arrotechStep, file: demoFile("steps/arrotech.mjs") },
  { name: "ERIP", title: eripTitle, run: eripStep, file: demoFile("steps/erip.mjs") },
  { name: "Lists and streams", title: listsTitle, run: listsStep, file: demoFile("steps/lists.mjs") },
];

/**
 * Runs the tour. Never throws for a misbehaving step: each step's failure is caught, printed and
 * returned, and the remaining steps still run.
 * @param {{ log?: (line: string) => void, imsJobMs?: number }} [options]
 * @returns {Promise<{ ok: boolean, steps: { name: string, file: string, ok: boolean, ms: number, summary: string, error?: string }[], totalMs: number }>}
 */
export async function runTour({ log = console.log, imsJobMs = 6_000 } = {}) {
  const narrator = createNarrator(log);
  const total = STEPS.length + 1;
  const tourStarted = performance.now();
  const steps = [];
  narrator.title("portico tour — five generated clients against the local sandbox");

  narrator.step(1, total, "Sandbox — five APIs on free loopback ports");
  narrator.file(SANDBOX_FILE);
  let started = performance.now();
  let sandbox;
  try {
    sandbox = await startSandbox({ port: 0, options: { ims: { tokenLifetimeSeconds: TOUR_IMS_TOKEN_LIFETIME_SECONDS } } });
  } catch (error) {
    const ms = performance.now() - started;
    narrator.say(`the sandbox did not start: ${error?.message ?? error}`);
    narrator.done(false, ms);
    return { ok: false, steps: [{ name: "Sandbox", file: SANDBOX_FILE, ok: false, ms, summary: "did not start", error: String(error?.message ?? error) }], totalMs: ms };
  }
  let origins = 0;
  for (const [api, urls] of Object.entries(sandbox.urls)) {
    origins += Object.keys(urls).length;
    narrator.say(`${api.padEnd(9)} ${Object.entries(urls).map(([name, url]) => `${name} ${url}`).join("   ")}`);
  }
  let ms = performance.now() - started;
  narrator.done(true, ms);
  steps.push({ name: "Sandbox", file: SANDBOX_FILE, ok: true, ms, summary: `${Object.keys(sandbox.urls).length} APIs on ${origins} loopback origins` });

  try {
    for (const [index, step] of STEPS.entries()) {
      narrator.step(index + 2, total, step.title);
      narrator.file(step.file);
      started = performance.now();
      try {
        const result = await step.run({ sandbox, say: narrator.say, ...(step.name === "IMS" ? { jobMs: imsJobMs } : {}) });
        ms = performance.now() - started;
        narrator.done(true, ms, result.summary);
        steps.push({ name: step.name, file: step.file, ok: true, ms, summary: result.summary, facts: result.facts });
      } catch (error) {
        ms = performance.now() - started;
        const message = error?.name === "TourCheckFailed" ? error.message : `${error?.name ?? "Error"}: ${error?.message ?? error}`;
        narrator.say(`FAILED: ${message}`);
        narrator.done(false, ms);
        steps.push({ name: step.name, file: step.file, ok: false, ms, summary: "failed", error: message });
      }
    }
  } finally {
    await sandbox.stop();
  }

  const totalMs = performance.now() - tourStarted;
  const ok = steps.every((s) => s.ok);
  narrator.blank();
  narrator.raw("Summary");
  narrator.table(
    ["#", "step", "result", "time", "what it showed"],
    steps.map((s, i) => [i + 1, s.name, s.ok ? "ok" : "FAILED", duration(s.ms), s.ok ? s.summary : s.error]),
  );
  narrator.blank();
  narrator.raw(ok ? `All ${steps.length} steps passed in ${seconds(totalMs)}.` : `${steps.filter((s) => !s.ok).length} of ${steps.length} steps FAILED (${seconds(totalMs)}).`);
  return { ok, steps, totalMs };
}
