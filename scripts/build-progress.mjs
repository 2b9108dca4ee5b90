#!/usr/bin/env node
/**
 * `turbo run build` that says what it is doing: one line before it starts, one line per task as
 * it finishes (`[ 3/15] @portico/codegen build  built`), a line naming the tasks still running
 * when nothing finished for a while, and the full logs of any task that failed. Exits with
 * turbo's exit code. Used by `pnpm demo`; extra arguments are passed on to turbo.
 *
 * Turbo runs with `--log-order=grouped`, which prints each task's logs in one block when the task
 * ends: a block's first line (`<pkg>:<task>: cache hit|miss, ...`) marks the task finished.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const turbo = existsSync(join(root, "node_modules/.bin/turbo")) ? join(root, "node_modules/.bin/turbo") : "turbo";
const extra = process.argv.slice(2);
/** How long without a finished task before the running ones are named. */
const QUIET_MS = 10_000;

const started = performance.now();
const elapsed = () => {
  const s = Math.round((performance.now() - started) / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
};
const say = (line) => process.stdout.write(`${line}\n`);

say("Building the packages with turbo (cached tasks take no time; a first build takes a few minutes)…");

// --- the task graph, from a dry run: what "N of M" and "still running" are counted against ---
/** taskId (`@portico/core#build`) → the tasks it waits for; tasks without a script are left out. */
const graph = new Map();
const dry = spawnSync(turbo, ["run", "build", "--dry=json", ...extra], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
try {
  const { tasks } = JSON.parse(dry.stdout);
  const real = new Set(tasks.filter((t) => t.command !== "<NONEXISTENT>").map((t) => t.taskId));
  for (const t of tasks) if (real.has(t.taskId)) graph.set(t.taskId, t.dependencies.filter((d) => real.has(d)));
} catch {
  // No plan (an old turbo, a broken workspace): progress lines without totals; turbo itself reports the problem.
}
const total = graph.size;
const width = String(total || 0).length;

// --- the build ---
const finished = new Set();
const logs = new Map(); // taskId → its lines, for the failure report
const failed = new Set();
const trailer = []; // turbo's own lines after the tasks: the summary, errors
let current; // { id, kind } of the block being read
let lastFinish = performance.now();

const TASK_LINE = /^(\S+?)[:#]([\w:-]+?):(?: (.*))?$/;
const taskIdOf = (pkg, task) => `${pkg}#${task}`;

function finish() {
  if (current === undefined) return;
  const { id, kind } = current;
  current = undefined;
  finished.add(id);
  lastFinish = performance.now();
  const bad = failed.has(id);
  const [pkg, task] = id.split("#");
  const count = total > 0 ? `[${String(finished.size).padStart(width)}/${total}] ` : "";
  say(`  ${count}${pkg} ${task}  ${bad ? "FAILED" : kind}`);
}

function onLine(line) {
  const match = TASK_LINE.exec(line);
  if (match === null || (total > 0 && !graph.has(taskIdOf(match[1], match[2])))) {
    finish();
    if (line.trim() !== "" && !/^\s+• /.test(line)) trailer.push(line);
    return;
  }
  const id = taskIdOf(match[1], match[2]);
  const text = match[3] ?? "";
  if (current?.id !== id) {
    finish();
    current = { id, kind: /^cache hit/.test(text) ? "cached" : "built" };
  }
  if (!logs.has(id)) logs.set(id, []);
  logs.get(id).push(line);
  if (/^\s*ERROR\s/.test(text) && line.includes("#")) failed.add(id);
}

const child = spawn(turbo, ["run", "build", "--output-logs=full", "--log-order=grouped", "--no-color", ...extra], {
  cwd: root,
  env: { ...process.env, FORCE_COLOR: "0" },
  stdio: ["ignore", "pipe", "pipe"],
});

// A block arrives in one burst: a pause ends it, so a task is reported when it ends, not when the next one does.
let idle;
let pending = "";
function onData(chunk) {
  pending += chunk.toString();
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) onLine(line.replace(/\r$/, ""));
  clearTimeout(idle);
  idle = setTimeout(finish, 250);
}
child.stdout.on("data", onData);
child.stderr.on("data", onData);

const heartbeat = setInterval(() => {
  if (performance.now() - lastFinish < QUIET_MS) return;
  lastFinish = performance.now();
  const running = [...graph].filter(([id, deps]) => !finished.has(id) && deps.every((d) => finished.has(d))).map(([id]) => id.replace("#", " "));
  say(`      ${elapsed()}: still running ${running.length > 0 ? running.join(", ") : "turbo"}`);
}, 1_000);

child.on("error", (error) => {
  clearInterval(heartbeat);
  say(`Could not start turbo (${turbo}): ${error.message}. Run \`pnpm install\` first.`);
  process.exitCode = 1;
});

child.on("close", (code) => {
  clearInterval(heartbeat);
  clearTimeout(idle);
  if (pending !== "") onLine(pending);
  finish();
  if (code === 0) {
    const cached = [...finished].filter((id) => logs.get(id)?.[0]?.includes("cache hit")).length;
    say(`Built ${finished.size} tasks in ${elapsed()} (${cached} cached).`);
    return;
  }
  for (const id of failed) {
    say("");
    say(`── ${id} ──`);
    for (const line of logs.get(id) ?? []) say(line);
  }
  say("");
  for (const line of trailer) say(line);
  say(`The build failed after ${elapsed()} (turbo exited with ${code})${failed.size > 0 ? "; the logs of the failed task are above" : ""}.`);
  process.exitCode = code ?? 1;
});
