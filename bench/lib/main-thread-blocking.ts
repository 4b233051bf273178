/**
 * How long this process's main thread goes without turning its event loop,
 * and why: running JavaScript (blocking, our code's fault) or waiting for a
 * CPU core the kernel gave to another process (the machine's load).
 *
 * A 1 ms timer ticks on the main thread; at each tick it reads the thread's
 * scheduler statistics from Linux (/proc/self/task/<pid>/schedstat: time on a
 * CPU and time waiting on a run queue, in ns). For each gap between two ticks
 * it keeps the wall time, the CPU time the main thread used and the time it
 * waited for a core. The largest CPU time within one gap bounds the longest
 * stretch of synchronous work; the largest wall gap is what a request would
 * have waited. Without /proc (not Linux) only wall gaps are measured.
 */
import { readFileSync } from "node:fs";

export interface BlockingSummary {
  ticks: number;
  /** Largest wall-clock gap between two turns (ms). */
  maxGapMs: number;
  /** In that gap: CPU time of the main thread and time it waited for a core (ms). */
  maxGapCpuMs: number | null;
  maxGapWaitMs: number | null;
  /** Largest main-thread CPU time within one gap (ms): the longest synchronous work. */
  maxCpuMs: number | null;
  /** Wall gaps over 50 ms, and how many of those had over 50 ms of CPU. */
  gapsOver50: number;
  cpuOver50: number | null;
}

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;

function readSchedstat(): [number, number] | null {
  try {
    const [run, wait] = readFileSync(SCHEDSTAT, "utf8").split(" ").map(Number);
    return [run / 1e6, wait / 1e6];
  } catch {
    return null;
  }
}

/** Starts watching; `stop()` ends it and returns the summary. */
export function watchMainThread(): { stop(): BlockingSummary } {
  let lastWall = performance.now();
  let lastStat = readSchedstat();
  const summary: BlockingSummary = {
    ticks: 0,
    maxGapMs: 0,
    maxGapCpuMs: lastStat ? 0 : null,
    maxGapWaitMs: lastStat ? 0 : null,
    maxCpuMs: lastStat ? 0 : null,
    gapsOver50: 0,
    cpuOver50: lastStat ? 0 : null,
  };
  const timer = setInterval(() => {
    const wall = performance.now();
    const stat = readSchedstat();
    const gap = wall - lastWall;
    summary.ticks++;
    const cpu = stat && lastStat ? stat[0] - lastStat[0] : null;
    const wait = stat && lastStat ? stat[1] - lastStat[1] : null;
    if (gap > summary.maxGapMs) {
      summary.maxGapMs = gap;
      summary.maxGapCpuMs = cpu;
      summary.maxGapWaitMs = wait;
    }
    if (cpu !== null && summary.maxCpuMs !== null && cpu > summary.maxCpuMs) summary.maxCpuMs = cpu;
    if (gap > 50) summary.gapsOver50++;
    if (cpu !== null && cpu > 50 && summary.cpuOver50 !== null) summary.cpuOver50++;
    lastWall = wall;
    lastStat = stat;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      return summary;
    },
  };
}
