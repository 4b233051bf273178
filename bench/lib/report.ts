/**
 * Printing helpers shared by the benchmarks: the exact command line, the
 * machine, percentiles and aligned tables. Every benchmark prints its figures
 * through these so docs/performance.md can quote the output verbatim.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the project root (bench/lib/ → ../..). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The command that started this benchmark: the npm script (when run through npm) and the node command line. */
export function commandLine(): string {
  const script = process.env.npm_lifecycle_event?.startsWith("bench") ? `npm run ${process.env.npm_lifecycle_event}` : null;
  const rel = process.argv.slice(1).map((a) => (a.startsWith(projectRoot) ? path.relative(projectRoot, a) : a));
  const direct = `tsx ${rel.join(" ")}`;
  return script ? `${script}  (= ${process.env.npm_lifecycle_script ?? direct}; node ${rel.join(" ")})` : direct;
}

/** One line describing the machine: CPU count and model, memory, Node version. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${os.type()} ${os.release()}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
}

/** Prints the benchmark's title, command line and machine. */
export function header(title: string, what: string): void {
  console.log(`\n=== ${title} ===`);
  console.log(what);
  console.log(`command: ${commandLine()}`);
  console.log(`machine: ${machine()}`);
  console.log(`started: ${new Date().toISOString()}`);
}

/** Value at quantile q (0..1) of an ascending-sorted array (nearest-rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Percentile summary of a list of numbers (copied and sorted). */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    min: sorted[0] ?? NaN,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

/** Median of a list. */
export const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);

export const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 10 ? 2 : 1)} ms` : "n/a");
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** A summary as "p50 … p95 … p99 … max …". */
export const describeLatency = (s: Summary) => `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  (n=${s.n})`;

/** Prints rows as an aligned table. */
export function table(rows: (string | number)[][]): void {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  for (const r of cells) console.log("  " + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   "));
}

/** "met" / "MISSED" with the comparison. */
export const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes on one machine. */
export const nowMs = () => performance.timeOrigin + performance.now();

export const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes. Returns whether it succeeded. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return check();
}
