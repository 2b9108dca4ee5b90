// Runs a Node CLI script in this process and, at exit, writes its resource usage as JSON:
//   node lib/measure-child.mjs <result.json> <script> [...args]
// → { exitCode, maxRSSKB, userMs, systemMs }. Lets the parent measure peak memory and CPU time of
// a child without /usr/bin/time.
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [resultFile, script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], script, ...args];
process.on("exit", (code) => {
  const usage = process.resourceUsage();
  writeFileSync(resultFile, JSON.stringify({ exitCode: code, maxRSSKB: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000 }));
});
await import(pathToFileURL(script).href);
