/**
 * A Chromium performance trace of a benchmark's page, and what its long frames held (bench/scroll.ts
 * SCROLL_TRACE=1). Recorded through the page's DevTools protocol session (`Tracing.start`, streamed to
 * a file that DevTools' Performance panel opens): the renderer's tasks and timeline events (layout,
 * style, paint, event dispatch, timers, script) and V8's sampling CPU profile, in one clock.
 *
 * `summarizeTrace` takes windows of the page's own clock (`performance.now()`, e.g. the gaps between
 * two animation frames over 100 ms) and reports, for the renderer's main thread:
 * - long tasks (over 50 ms) over the whole trace: count, total wall time and total thread (CPU) time;
 *   thread time depends less on the machine's load than wall time;
 * - inside the windows: self time by timeline event (Layout, UpdateLayoutTree, FunctionCall, ...) and
 *   self time by JavaScript function (from the CPU samples), the function named through the build's
 *   hidden source maps when `build/client/assets/*.js.map` exist (`SOURCEMAP=1 npm run build`).
 */
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { CDPSession } from "@playwright/test";
import { SourceMapConsumer } from "source-map-js";

/** What the trace records (the categories DevTools' Performance panel uses, less screenshots and invalidations). */
export const TRACE_CATEGORIES = [
  "-*",
  "toplevel",
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "v8.execute",
  "v8",
  "blink.user_timing",
  "disabled-by-default-v8.cpu_profiler",
];

/** The name a `console.timeStamp` in the page gives the trace, to tie its clock to `performance.now()`. */
export const SYNC_MARK = "bench-trace-sync";

/** One event of Chrome's JSON trace format (only the fields used here). */
export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  /** Start (µs, the trace's clock). */
  ts: number;
  /** Duration and thread (CPU) duration of a complete ("X") event (µs). */
  dur?: number;
  tdur?: number;
  id?: string;
  args?: Record<string, unknown>;
}

/**
 * Starts tracing on `cdp` (a page's session); `stop()` ends it, writes the trace to `file` (JSON,
 * `{ traceEvents: [...] }`) and returns its events.
 */
export async function startTrace(cdp: CDPSession, file: string): Promise<{ stop(): Promise<TraceEvent[]> }> {
  await cdp.send("Tracing.start", { transferMode: "ReturnAsStream", traceConfig: { recordMode: "recordAsMuchAsPossible", includedCategories: TRACE_CATEGORIES } });
  return {
    async stop() {
      const complete = new Promise<string>((resolve) => cdp.once("Tracing.tracingComplete", (e: { stream?: string }) => resolve(e.stream ?? "")));
      await cdp.send("Tracing.end");
      const stream = await complete;
      if (!stream) throw new Error("Tracing ended without a stream");
      const out = createWriteStream(file);
      const pieces: string[] = [];
      for (;;) {
        const chunk = (await cdp.send("IO.read", { handle: stream, size: 4 * 2 ** 20 })) as { data: string; eof: boolean; base64Encoded?: boolean };
        const text = chunk.base64Encoded ? Buffer.from(chunk.data, "base64").toString("utf8") : chunk.data;
        out.write(text);
        pieces.push(text);
        if (chunk.eof) break;
      }
      await cdp.send("IO.close", { handle: stream });
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      const parsed = JSON.parse(pieces.join("")) as { traceEvents?: TraceEvent[] } | TraceEvent[];
      return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
    },
  };
}

/** A time window in the page's clock (`performance.now()`, ms). */
export interface PageWindow {
  from: number;
  to: number;
}

/** A name and the time spent in it (ms). */
export interface Spent {
  name: string;
  ms: number;
}

export interface TraceSummary {
  /** The renderer main thread's tasks over 50 ms in the whole trace. */
  longTasks: { count: number; wallMs: number; cpuMs: number; overBudgetMs: number; longestMs: number };
  /** All of the main thread's tasks from the sync mark on: count, wall and CPU time, the largest task's CPU (ms). */
  mainThread: { tasks: number; wallMs: number; cpuMs: number; over16CpuCount: number; longestCpuMs: number };
  /**
   * Microtask checkpoints over 2 ms of CPU from the sync mark on: React's synchronous renders after a
   * store update (on the debate page, mostly a page of arguments arriving). Count, CPU total, median, max (ms).
   */
  microtasks: { count: number; cpuMs: number; medianMs: number; maxMs: number };
  /** The tasks with the most CPU time from the sync mark on: page time, wall and CPU ms, CPU self time by event. */
  heaviest: { at: number; wallMs: number; cpuMs: number; top: Spent[] }[];
  /** The same for the windows only: tasks overlapping a window. */
  windowTasks: { count: number; wallMs: number; cpuMs: number };
  /** Self time by timeline event inside the windows, most first. */
  events: Spent[];
  /** Self time by JavaScript function (CPU samples) inside the windows, most first. */
  functions: Spent[];
  /** Whether the functions are named through source maps. */
  sourceMapped: boolean;
  /** What each of the longest windows held: its length and its top three events. */
  perWindow: { from: number; ms: number; top: Spent[] }[];
}

const TASK_NAMES = new Set(["RunTask", "ThreadControllerImpl::RunTask"]);

/** A readable label of a timeline event: its name, with the event type, timer, or function it names. */
function label(e: TraceEvent): string {
  const data = (e.args?.data ?? {}) as Record<string, unknown>;
  if (e.name === "EventDispatch" && typeof data.type === "string") return `EventDispatch (${data.type})`;
  if (e.name === "FunctionCall" && typeof data.functionName === "string") return `FunctionCall (${data.functionName || "anonymous"} ${shortUrl(data.url)})`;
  if (e.name === "XHRReadyStateChange" || e.name === "ResourceReceivedData") return e.name;
  return e.name;
}

const shortUrl = (url: unknown) => (typeof url === "string" ? (url.split("/").pop() ?? url) : "");

/** Sorted, summed entries of a map of ms. */
const top = (m: Map<string, number>): Spent[] => [...m.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);

/** Overlap of [a, b) with [c, d). */
const overlap = (a: number, b: number, c: number, d: number) => Math.max(0, Math.min(b, d) - Math.max(a, c));

/** Names a minified position through the hidden source maps in `assetsDir` (cached by file). */
function sourceNamer(assetsDir: string | null): ((url: string, line: number, column: number, fallback: string) => string) | null {
  if (!assetsDir) return null;
  const consumers = new Map<string, SourceMapConsumer | null>();
  return (url, line, column, fallback) => {
    const file = shortUrl(url);
    if (!consumers.has(file)) {
      const map = path.join(assetsDir, `${file}.map`);
      consumers.set(file, existsSync(map) ? new SourceMapConsumer(JSON.parse(readFileSync(map, "utf8"))) : null);
    }
    const consumer = consumers.get(file);
    if (!consumer) return `${fallback} ${file}:${line + 1}`;
    const at = consumer.originalPositionFor({ line: line + 1, column });
    if (!at.source) return `${fallback} ${file}:${line + 1}`;
    const source = at.source.replace(/^.*node_modules\//, "").replace(/^(\.\.\/)+/, "");
    return `${at.name ?? fallback} ${source}:${at.line}`;
  };
}

/**
 * What the trace's renderer main thread did, over all and inside `windows` (see the module comment).
 * The page must have called `console.timeStamp(SYNC_MARK)` at page time `syncAt` (ms) while tracing.
 * `assetsDir`: the build's client assets, for source maps (null: minified names).
 */
export function summarizeTrace(events: TraceEvent[], windows: PageWindow[], syncAt: number, assetsDir: string | null): TraceSummary {
  const sync = events.find((e) => e.name === "TimeStamp" && (e.args?.data as { message?: string } | undefined)?.message === SYNC_MARK);
  if (!sync) throw new Error(`The trace has no ${SYNC_MARK} mark`);
  const { pid, tid } = sync;
  // Page ms → trace µs.
  const toTrace = (t: number) => (t - syncAt) * 1000 + sync.ts;
  const spans = windows.map((w) => ({ from: toTrace(w.from), to: toTrace(w.to) })).sort((a, b) => a.from - b.from);
  const inWindows = (a: number, b: number) => spans.reduce((sum, s) => sum + overlap(a, b, s.from, s.to), 0);

  const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === "X" && typeof e.dur === "number").sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const tasks = main.filter((e) => TASK_NAMES.has(e.name));
  // Nested tasks (a task inside a task) count once: the outermost.
  const outer: TraceEvent[] = [];
  for (const task of tasks) {
    const last = outer[outer.length - 1];
    if (!last || task.ts >= last.ts + last.dur!) outer.push(task);
  }
  const long = outer.filter((e) => e.dur! > 50_000);
  const inAny = outer.filter((e) => inWindows(e.ts, e.ts + e.dur!) > 0);
  const sumMs = (list: TraceEvent[], key: "dur" | "tdur") => list.reduce((s, e) => s + (e[key] ?? e.dur!), 0) / 1000;

  // Self time of the timeline events in the windows: a stack walk over the main thread's events.
  const selfTime = new Map<string, number>();
  const perSpan = spans.map(() => new Map<string, number>());
  const stack: { e: TraceEvent; end: number; childStart: number; key: string }[] = [];
  const credit = (key: string, a: number, b: number) => {
    if (b <= a) return;
    spans.forEach((s, i) => {
      const o = overlap(a, b, s.from, s.to);
      if (o > 0) {
        selfTime.set(key, (selfTime.get(key) ?? 0) + o / 1000);
        perSpan[i]!.set(key, (perSpan[i]!.get(key) ?? 0) + o / 1000);
      }
    });
  };
  // Self time of a frame = its span minus its children's spans: walked as intervals between child edges.
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1]!.end <= until) {
      const done = stack.pop()!;
      credit(done.key, done.childStart, done.end);
      if (stack.length) stack[stack.length - 1]!.childStart = done.end;
    }
  };
  for (const e of main) {
    if (TASK_NAMES.has(e.name) && stack.length === 0 && inWindows(e.ts, e.ts + e.dur!) === 0) continue;
    close(e.ts);
    const parent = stack[stack.length - 1];
    if (parent) {
      credit(parent.key, parent.childStart, e.ts);
      parent.childStart = Math.min(e.ts + e.dur!, parent.end);
    }
    stack.push({ e, end: e.ts + e.dur!, childStart: e.ts, key: TASK_NAMES.has(e.name) ? "(task, outside any event)" : label(e) });
  }
  close(Infinity);

  // JavaScript self time from the CPU samples (Profile and ProfileChunk events of the same thread).
  const namer = sourceNamer(assetsDir);
  const functions = new Map<string, number>();
  const profiles = new Map<string, { time: number; nodes: Map<number, string> }>();
  // A Profile event names the sampled thread; its chunks come from V8's profiler thread, tied by id.
  // (If no Profile is on the main thread's tid, all of the renderer's profiles are taken.)
  const starts = events.filter((e) => e.pid === pid && e.ph === "P" && e.name === "Profile" && e.id);
  const ownStarts = starts.some((e) => e.tid === tid) ? starts.filter((e) => e.tid === tid) : starts;
  for (const e of ownStarts) profiles.set(e.id!, { time: ((e.args?.data ?? {}) as { startTime?: number }).startTime ?? e.ts, nodes: new Map() });
  for (const e of events) {
    if (e.pid !== pid || e.ph !== "P" || !e.id) continue;
    const data = (e.args?.data ?? {}) as { startTime?: number; cpuProfile?: { nodes?: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[]; samples?: number[] }; timeDeltas?: number[] };
    const profile = profiles.get(e.id);
    if (e.name !== "ProfileChunk" || !profile) continue;
    for (const node of data.cpuProfile?.nodes ?? []) {
      const { functionName, url, lineNumber, columnNumber } = node.callFrame;
      const name = functionName || "(anonymous)";
      profile.nodes.set(node.id, url && namer && lineNumber >= 0 ? namer(url, lineNumber, columnNumber, name) : url ? `${name} ${shortUrl(url)}:${lineNumber + 1}` : name);
    }
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    samples.forEach((node, i) => {
      profile.time += deltas[i] ?? 0;
      const next = profile.time + (deltas[i + 1] ?? 1000);
      const o = inWindows(profile.time, next);
      if (o > 0) {
        const name = profile.nodes.get(node) ?? `node ${node}`;
        functions.set(name, (functions.get(name) ?? 0) + o / 1000);
      }
    });
  }
  functions.delete("(idle)");

  const scroll = outer.filter((e) => e.ts >= sync.ts);
  const cpu = (e: TraceEvent) => (e.tdur ?? e.dur!) / 1000;
  const heaviest = [...scroll].sort((a, b) => cpu(b) - cpu(a)).slice(0, 8).map((task) => ({ at: (task.ts - sync.ts) / 1000 + syncAt, wallMs: task.dur! / 1000, cpuMs: cpu(task), top: top(cpuSelf(main, task)).slice(0, 4) }));

  const micro = main.filter((e) => e.name === "RunMicrotasks" && e.ts >= sync.ts && cpu(e) > 2).map(cpu).sort((a, b) => a - b);

  return {
    microtasks: { count: micro.length, cpuMs: micro.reduce((a, b) => a + b, 0), medianMs: micro[Math.floor(micro.length / 2)] ?? 0, maxMs: micro[micro.length - 1] ?? 0 },
    mainThread: { tasks: scroll.length, wallMs: sumMs(scroll, "dur"), cpuMs: sumMs(scroll, "tdur"), over16CpuCount: scroll.filter((e) => cpu(e) > 1000 / 60).length, longestCpuMs: scroll.reduce((m, e) => Math.max(m, cpu(e)), 0) },
    heaviest,
    longTasks: { count: long.length, wallMs: sumMs(long, "dur"), cpuMs: sumMs(long, "tdur"), overBudgetMs: long.reduce((s, e) => s + e.dur! - 50_000, 0) / 1000, longestMs: long.reduce((m, e) => Math.max(m, e.dur! / 1000), 0) },
    windowTasks: { count: inAny.length, wallMs: sumMs(inAny, "dur"), cpuMs: sumMs(inAny, "tdur") },
    events: top(selfTime),
    functions: top(functions),
    sourceMapped: !!namer,
    perWindow: spans
      .map((s, i) => ({ from: (s.from - sync.ts) / 1000 + syncAt, ms: (s.to - s.from) / 1000, top: top(perSpan[i]!).slice(0, 3) }))
      .sort((a, b) => b.ms - a.ms),
  };
}

/** CPU self time (ms) by event label inside `task` (its thread time less its children's). */
function cpuSelf(main: TraceEvent[], task: TraceEvent): Map<string, number> {
  const self = new Map<string, number>();
  const stack: { end: number; key: string }[] = [];
  for (const e of main) {
    if (e.ts < task.ts || e === task) continue;
    if (e.ts >= task.ts + task.dur!) break;
    while (stack.length && stack[stack.length - 1]!.end <= e.ts) stack.pop();
    const key = TASK_NAMES.has(e.name) ? "(nested task)" : label(e);
    const ms = (e.tdur ?? 0) / 1000;
    self.set(key, (self.get(key) ?? 0) + ms);
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.key, (self.get(parent.key) ?? 0) - ms);
    stack.push({ end: e.ts + e.dur!, key });
  }
  return self;
}
