/**
 * Summarises a trace that bench/scroll.ts SCROLL_TRACE=1 saved (bench/lib/trace.ts), over the whole
 * scroll: the main thread's tasks and CPU, the long tasks, the tasks with the most CPU, and self time by
 * timeline event and by JavaScript function (source-mapped when build/client/assets has the maps of
 * the build that was traced). For comparing two traces, e.g. before and after a change.
 * Usage: tsx bench/tools/trace-summary.ts <trace.json> [top=20]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot, ms, table } from "../lib/report";
import { SYNC_MARK, summarizeTrace, type TraceEvent } from "../lib/trace";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: tsx bench/tools/trace-summary.ts <trace.json> [top=20]");
  process.exit(1);
}
const n = Number(topArg ?? 20);
const parsed = JSON.parse(readFileSync(file, "utf8")) as { traceEvents?: TraceEvent[] } | TraceEvent[];
const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
const assets = path.join(projectRoot, "build", "client", "assets");
const mapped = existsSync(assets) && readdirSync(assets).some((f) => f.endsWith(".js.map"));
if (!events.some((e) => e.name === "TimeStamp" && (e.args?.data as { message?: string } | undefined)?.message === SYNC_MARK)) throw new Error(`${file}: no ${SYNC_MARK} mark (not a bench/scroll.ts trace)`);
// Page time 0 at the sync mark; one window from it to the end.
const s = summarizeTrace(events, [{ from: 0, to: 1e9 }], 0, mapped ? assets : null);
console.log(`${file}: ${events.length} events`);
console.log(`main thread from the sync mark: ${s.mainThread.tasks} tasks, ${ms(s.mainThread.cpuMs)} CPU in ${ms(s.mainThread.wallMs)} wall; tasks over 16.7 ms of CPU: ${s.mainThread.over16CpuCount}; the largest ${ms(s.mainThread.longestCpuMs)} CPU`);
console.log(`microtask renders (checkpoints over 2 ms of CPU: React's renders after a store update, e.g. a page of arguments arriving): ${s.microtasks.count}, ${ms(s.microtasks.cpuMs)} CPU, median ${ms(s.microtasks.medianMs)}, max ${ms(s.microtasks.maxMs)}`);
console.log(`long tasks (over 50 ms): ${s.longTasks.count}, ${ms(s.longTasks.wallMs)} wall, ${ms(s.longTasks.cpuMs)} CPU, blocking ${ms(s.longTasks.overBudgetMs)}, longest ${ms(s.longTasks.longestMs)}`);
console.log("\nThe tasks with the most CPU (ms from the sync mark):");
table([["at", "wall", "CPU", "top events (CPU)"], ...s.heaviest.map((h) => [h.at.toFixed(0), ms(h.wallMs), ms(h.cpuMs), h.top.map((e) => `${e.name} ${ms(e.ms)}`).join("; ")])]);
console.log("\nSelf time (wall) by timeline event:");
table([["event", "self"], ...s.events.slice(0, n).map((e) => [e.name, ms(e.ms)])]);
console.log(`\nSelf time by JavaScript function (CPU samples; ${s.sourceMapped ? "source-mapped" : "minified"}):`);
table([["function", "self"], ...s.functions.slice(0, n).map((e) => [e.name, ms(e.ms)])]);
