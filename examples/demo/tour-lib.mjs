/**
 * The portico tour as a function: starts the sandbox on free loopback ports (unless one is given),
 * runs each step through a generated client, and returns what happened. `tour.mjs` prints it and
 * sets the exit code; the test suite calls it directly.
 */
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

const STEPS = [
  { name: "IMS", title: imsTitle, run: imsStep },
  { name: "EUDR", title: eudrTitle, run: eudrStep },
  { name: "Atlas", title: atlasTitle, run: atlasStep },
  { name: "Arrotech", title: arrotechTitle, run: arrotechStep },
  { name: "ERIP", title: eripTitle, run: eripStep },
  { name: "Lists and streams", title: listsTitle, run: listsStep },
];

/**
 * Runs the tour. Never throws for a misbehaving step: each step's failure is caught, printed and
 * returned, and the remaining steps still run.
 * @param {{ log?: (line: string) => void, imsJobMs?: number }} [options]
 * @returns {Promise<{ ok: boolean, steps: { name: string, ok: boolean, ms: number, summary: string, error?: string }[], totalMs: number }>}
 */
export async function runTour({ log = console.log, imsJobMs = 6_000 } = {}) {
  const narrator = createNarrator(log);
  const total = STEPS.length + 1;
  const tourStarted = performance.now();
  const steps = [];
  narrator.title("portico tour — five generated clients against the local sandbox");

  narrator.step(1, total, "Sandbox — five APIs on free loopback ports");
  let started = performance.now();
  let sandbox;
  try {
    sandbox = await startSandbox({ port: 0, options: { ims: { tokenLifetimeSeconds: TOUR_IMS_TOKEN_LIFETIME_SECONDS } } });
  } catch (error) {
    const ms = performance.now() - started;
    narrator.say(`the sandbox did not start: ${error?.message ?? error}`);
    narrator.done(false, ms);
    return { ok: false, steps: [{ name: "Sandbox", ok: false, ms, summary: "did not start", error: String(error?.message ?? error) }], totalMs: ms };
  }
  let origins = 0;
  for (const [api, urls] of Object.entries(sandbox.urls)) {
    origins += Object.keys(urls).length;
    narrator.say(`${api.padEnd(9)} ${Object.entries(urls).map(([name, url]) => `${name} ${url}`).join("   ")}`);
  }
  let ms = performance.now() - started;
  narrator.done(true, ms);
  steps.push({ name: "Sandbox", ok: true, ms, summary: `${Object.keys(sandbox.urls).length} APIs on ${origins} loopback origins` });

  try {
    for (const [index, step] of STEPS.entries()) {
      narrator.step(index + 2, total, step.title);
      started = performance.now();
      try {
        const result = await step.run({ sandbox, say: narrator.say, ...(step.name === "IMS" ? { jobMs: imsJobMs } : {}) });
        ms = performance.now() - started;
        narrator.done(true, ms, result.summary);
        steps.push({ name: step.name, ok: true, ms, summary: result.summary, facts: result.facts });
      } catch (error) {
        ms = performance.now() - started;
        const message = error?.name === "TourCheckFailed" ? error.message : `${error?.name ?? "Error"}: ${error?.message ?? error}`;
        narrator.say(`FAILED: ${message}`);
        narrator.done(false, ms);
        steps.push({ name: step.name, ok: false, ms, summary: "failed", error: message });
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
