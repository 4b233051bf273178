/**
 * bench:scroll — does a big debate's page scroll smoothly?
 *
 * Setup: a debate of SCROLL_PROPOSITIONS (200) propositions, each anchored to a sentence of the
 * article (200 is the most whose article is not folded, docs/decisions/0028-folded-source-article.md:
 * all its highlights are on the page), and SCROLL_ARGUMENTS (1,000) arguments, written straight into
 * PostgreSQL (bench/lib/seed-large.ts).
 * The server runs with the built app (run `npm run build` first; `npm run bench:scroll` does).
 * In Chromium (desktop 1280×900), a joined participant opens the page, waits until it is live,
 * then scrolls it from top to bottom with the mouse wheel over the propositions (SCROLL_STEP_PX a
 * step, one step every SCROLL_STEP_MS), as far as the page goes (the virtualised list grows as its
 * propositions are measured and their arguments load), at most SCROLL_MAX_STEPS steps.
 * Measured: every animation frame's timestamp (requestAnimationFrame) while scrolling; the gaps
 * between consecutive frames (about 16.7 ms at 60 Hz when nothing is dropped): count, p50, p99, max,
 * and the frames over 50 ms. Goal: no frame over 100 ms. No CPU throttling.
 * Options (env): SCROLL_PROPOSITIONS (200), SCROLL_ARGUMENTS (1000), SCROLL_STEP_PX (400),
 * SCROLL_STEP_MS (100), SCROLL_MAX_STEPS (2000), SCROLL_PORT (3571).
 * SCROLL_TRACE=1: also records a Chromium trace of the scroll (bench/lib/trace.ts: timeline events and
 * V8's CPU samples; it slows the page a little, so its frame gaps are not the plain run's) to
 * SCROLL_TRACE_FILE (default bench/out/scroll-trace.json, opens in DevTools' Performance panel) and
 * prints the long tasks and what the frames over 100 ms held: self time by timeline event and by
 * JavaScript function (named through source maps after `SOURCEMAP=1 npm run build`); SCROLL_TRACE_OVER
 * (100) sets which frames. bench/tools/trace-summary.ts prints the same of a saved trace, whole scroll.
 */
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { launchBenchChromium } from "./lib/browser";
import { participantCookieName } from "../app/shared/contract";
import { api, type Joined } from "./lib/api";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { header, ms, projectRoot, quantile, sleep, table, verdict } from "./lib/report";
import { seedLargeDebate } from "./lib/seed-large";
import { startSteelman } from "./lib/server-process";
import { startTrace, summarizeTrace, SYNC_MARK, type TraceEvent } from "./lib/trace";

const PROPOSITIONS = Number(process.env.SCROLL_PROPOSITIONS ?? 200);
const ARGUMENTS = Number(process.env.SCROLL_ARGUMENTS ?? 1000);
const STEP_PX = Number(process.env.SCROLL_STEP_PX ?? 400);
const STEP_MS = Number(process.env.SCROLL_STEP_MS ?? 100);
const MAX_STEPS = Number(process.env.SCROLL_MAX_STEPS ?? 2000);
const PORT = Number(process.env.SCROLL_PORT ?? 3571);
/** The goal: no gap between two frames longer than this (ms). */
const LONGEST_FRAME_MS = 100;
const TRACE = process.env.SCROLL_TRACE === "1";
/** With SCROLL_TRACE: the frames whose content is printed, those longer than this (ms). */
const TRACE_OVER = Number(process.env.SCROLL_TRACE_OVER ?? LONGEST_FRAME_MS);
const TRACE_FILE = path.resolve(process.env.SCROLL_TRACE_FILE ?? path.join(projectRoot, "bench", "out", "scroll-trace.json"));
/** The goal: no gap between two frames longer than this (ms). */

/** Runs in the page (as a string: tsx's helpers do not exist there): records every frame's timestamp. */
const RECORDER = `(() => {
  const w = window;
  w.__frames = [];
  const frame = (t) => { w.__frames.push(t); if (!w.__stopFrames) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})()`;

runBenchmark("bench:scroll", 10 * 60_000, async () => {
  header("bench:scroll", `Frame gaps while Chromium scrolls a debate of ${PROPOSITIONS} propositions and ${ARGUMENTS} arguments from top to bottom with the mouse wheel (${STEP_PX} px every ${STEP_MS} ms).`);
  if (!existsSync(path.join(projectRoot, "build", "server", "index.js"))) throw new Error("build/ is missing: run `npm run build` first (npm run bench:scroll does).");
  const database = await createBenchDatabase("scroll");
  const seeded = await seedLargeDebate(database.url, { propositions: PROPOSITIONS, args: ARGUMENTS, maxDepth: 8, authors: 20, votesPerAuthor: Math.min(PROPOSITIONS, 50), ratingsPerAuthor: 20 });
  console.log(`seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts).map(([k, v]) => `${v} ${k}`).join(", ")}`);
  const server = await startSteelman(database.url, PORT, { serveApp: true });
  console.log(`steelman server: ${server.command}  (database ${database.name}, PostgreSQL ${database.version})`);
  const { debateId } = seeded;
  const reader = await api<Joined>(server.url, `/api/debates/${debateId}/participants`, { body: { displayName: "Scroller" } });
  const browser = await launchBenchChromium();
  let frames: number[] = [];
  let steps = 0;
  let reached = { scrollY: 0, height: 0, bottom: false, propositionsSeen: 0 };
  let trace: { events: TraceEvent[]; syncAt: number } | null = null;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: participantCookieName(debateId), value: reader.token, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
    const page = await context.newPage();
    await page.goto(`${server.url.replace("localhost", "127.0.0.1")}/debates/${debateId}`);
    await page.waitForFunction(() => document.querySelector('[data-testid="connection-status"]')?.getAttribute("data-status") === "live", null, { timeout: 60_000 });
    await sleep(500);
    // The wheel over the propositions (the right-hand column; the article pane on the left scrolls on its own).
    await page.mouse.move(960, 450);
    const tracing = TRACE ? await startTrace(await context.newCDPSession(page), (mkdirSync(path.dirname(TRACE_FILE), { recursive: true }), TRACE_FILE)) : null;
    // Ties the trace's clock to the page's: a mark in the trace at a known performance.now().
    const syncAt = tracing ? ((await page.evaluate(`(() => { const t = performance.now(); console.timeStamp(${JSON.stringify(SYNC_MARK)}); return t; })()`)) as number) : 0;
    await page.evaluate(`window.__seen = new Set(); ${RECORDER}`);
    let still = 0;
    for (; steps < MAX_STEPS; steps++) {
      const before = await page.evaluate(() => window.scrollY);
      await page.mouse.wheel(0, STEP_PX);
      await sleep(STEP_MS);
      const now = (await page.evaluate(() => {
        const w = window as unknown as { __seen: Set<string> };
        document.querySelectorAll("li.proposition").forEach((li) => w.__seen.add(li.id));
        return { scrollY: window.scrollY, height: document.documentElement.scrollHeight, bottom: window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2, propositionsSeen: w.__seen.size };
      })) as typeof reached;
      reached = now;
      // At the bottom, and it stayed there (nothing below still loading) for a few steps: done.
      still = now.bottom && now.scrollY <= before + 1 ? still + 1 : 0;
      if (still >= 5) break;
    }
    frames = (await page.evaluate(`(window.__stopFrames = true, window.__frames)`)) as number[];
    if (tracing) trace = { events: await tracing.stop(), syncAt };
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
  }
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!).sort((a, b) => a - b);
  const max = gaps.length ? gaps[gaps.length - 1]! : NaN;
  console.log(`\nscrolled ${steps} steps to y = ${reached.scrollY.toFixed(0)} px of ${reached.height} px (${reached.bottom ? "the bottom" : "not the bottom"}); propositions rendered on the way: ${reached.propositionsSeen} of ${PROPOSITIONS}`);
  console.log("\nFrame gaps while scrolling (requestAnimationFrame timestamps):");
  table([
    ["frames", "p50", "p99", "max", "over 50 ms", `over ${LONGEST_FRAME_MS} ms`],
    [String(frames.length), ms(quantile(gaps, 0.5)), ms(quantile(gaps, 0.99)), ms(max), String(gaps.filter((g) => g > 50).length), String(gaps.filter((g) => g > LONGEST_FRAME_MS).length)],
  ]);
  if (trace) printTrace(trace.events, frames, trace.syncAt);
  console.log(`\nno frame over ${LONGEST_FRAME_MS} ms: ${verdict(gaps.length > 0 && max <= LONGEST_FRAME_MS)}`);
});

/** The trace's long tasks and what the frames over TRACE_OVER held (bench/lib/trace.ts). */
function printTrace(events: TraceEvent[], frames: number[], syncAt: number): void {
  const windows = frames.slice(1).flatMap((t, i) => (t - frames[i]! > TRACE_OVER ? [{ from: frames[i]!, to: t }] : []));
  const assets = path.join(projectRoot, "build", "client", "assets");
  const mapped = existsSync(assets) && readdirSync(assets).some((f) => f.endsWith(".js.map"));
  const s = summarizeTrace(events, windows, syncAt, mapped ? assets : null);
  console.log(`\nTrace: ${TRACE_FILE} (${events.length} events)`);
  console.log(`main thread from the start of the scroll: ${s.mainThread.tasks} tasks, ${ms(s.mainThread.cpuMs)} CPU in ${ms(s.mainThread.wallMs)} wall; tasks over 16.7 ms of CPU: ${s.mainThread.over16CpuCount}; the largest ${ms(s.mainThread.longestCpuMs)} CPU`);
  console.log(`microtask renders (checkpoints over 2 ms of CPU: React's renders after a store update, e.g. a page of arguments arriving): ${s.microtasks.count}, ${ms(s.microtasks.cpuMs)} CPU, median ${ms(s.microtasks.medianMs)}, max ${ms(s.microtasks.maxMs)}`);
  console.log(`long tasks (over 50 ms) on the page's main thread, whole scroll: ${s.longTasks.count}, ${ms(s.longTasks.wallMs)} wall, ${ms(s.longTasks.cpuMs)} CPU, ${ms(s.longTasks.overBudgetMs)} over 50 ms each (blocking time), longest ${ms(s.longTasks.longestMs)}`);
  console.log(`tasks in the ${windows.length} frames over ${TRACE_OVER} ms: ${s.windowTasks.count}, ${ms(s.windowTasks.wallMs)} wall, ${ms(s.windowTasks.cpuMs)} CPU`);
  console.log(`\nThe tasks with the most CPU (CPU self time by event):`);
  table([["at (page ms)", "wall", "CPU", "top events (CPU)"], ...s.heaviest.map((h) => [h.at.toFixed(0), ms(h.wallMs), ms(h.cpuMs), h.top.map((e) => `${e.name} ${ms(e.ms)}`).join("; ")])]);
  if (!windows.length) return;
  console.log(`\nIn those frames, self time by timeline event (top 15):`);
  table([["event", "self"], ...s.events.slice(0, 15).map((e) => [e.name, ms(e.ms)])]);
  console.log(`\nIn those frames, self time by JavaScript function (CPU samples; ${s.sourceMapped ? "source-mapped" : "minified names: SOURCEMAP=1 npm run build for source names"}; top 25):`);
  table([["function", "self"], ...s.functions.slice(0, 25).map((e) => [e.name, ms(e.ms)])]);
  console.log(`\nThe longest frames:`);
  table([["at (page ms)", "frame", "top events"], ...s.perWindow.slice(0, 10).map((w) => [w.from.toFixed(0), ms(w.ms), w.top.map((e) => `${e.name} ${ms(e.ms)}`).join("; ")])]);
}
