/**
 * bench:exports — exporting a very large debate (issue 15).
 *
 * Setup: the debate of bench:large (bench/lib/seed-large.ts: 2,000
 * propositions, 10,000 arguments in threads to depth 8, sources, votes,
 * ratings), written straight into PostgreSQL; the server runs in this
 * process without the web app.
 * Measured, per format, one anonymous `GET /api/debates/:id/export?format=…`
 * at a time (median of EXPORTS_RUNS after one warm-up): time to the first
 * byte, total time, file size, and the growth of this process's live heap
 * (with --expose-gc: collected and sampled every 50 ms during the download,
 * minus the heap before it): the export is streamed page by page, so the live
 * heap must stay far below the file. Target: live-heap growth ≤ half the file
 * for files over 4 MiB (smaller files are reported only). Without
 * --expose-gc (the smoke run) the growth includes garbage and is not judged.
 * Options (env): EXPORTS_PROPOSITIONS (2000), EXPORTS_ARGUMENTS (10000), EXPORTS_RUNS (3).
 * Smoke mode (bench/smoke.ts): tiny sizes, one run.
 */
import { startServer } from "../server/app";
import { createBenchDatabase } from "./lib/db";
import { onCleanup, runBenchmark } from "./lib/lifecycle";
import { header, median, mib, ms, nowMs, table, verdict } from "./lib/report";
import { seedLargeDebate } from "./lib/seed-large";

const PROPOSITIONS = Number(process.env.EXPORTS_PROPOSITIONS ?? 2000);
const ARGUMENTS = Number(process.env.EXPORTS_ARGUMENTS ?? 10000);
const RUNS = Number(process.env.EXPORTS_RUNS ?? 3);
const FORMATS = ["json", "markdown", "argdown", "aif", "polis"] as const;

async function download(url: string) {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => {
    global.gc?.();
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 50);
  const t = nowMs();
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  let first = NaN;
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (Number.isNaN(first)) first = nowMs() - t;
    bytes += value.byteLength;
    if (!global.gc) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  const total = nowMs() - t;
  clearInterval(sampler);
  return { first, total, bytes, heapGrowth: heapPeak - heapBefore };
}

runBenchmark("bench:exports", 10 * 60_000, async () => {
  header("bench:exports", `Exporting a debate of ${PROPOSITIONS} propositions and ${ARGUMENTS} arguments in each format: time to first byte, total time, size, heap growth while streaming.`);
  const database = await createBenchDatabase("exports");
  const seeded = await seedLargeDebate(database.url, { propositions: PROPOSITIONS, args: ARGUMENTS, maxDepth: 8, authors: 100, votesPerAuthor: Math.min(100, PROPOSITIONS), ratingsPerAuthor: Math.min(50, ARGUMENTS) });
  console.log(`seeded in ${seeded.seconds.toFixed(1)} s: ${JSON.stringify(seeded.counts)}; PostgreSQL ${database.version}`);
  const server = await startServer({ databaseUrl: database.url, port: 0, rateLimits: "off", serveApp: false });
  onCleanup(() => server.close());
  const judged = typeof global.gc === "function";
  const rows: (string | number)[][] = [["format", "first byte (median)", "total (median)", "size", judged ? "live-heap growth (max)" : "heap growth incl. garbage (max)", "streamed"]];
  let allMet = true;
  for (const format of FORMATS) {
    const url = `${server.url}/api/debates/${seeded.debateId}/export?format=${format}`;
    await download(url);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await download(url));
    const size = runs[0]!.bytes;
    const growth = Math.max(...runs.map((r) => r.heapGrowth));
    const met = !judged || size < 4 * 2 ** 20 || growth <= size / 2;
    allMet &&= met;
    rows.push([format, ms(median(runs.map((r) => r.first))), ms(median(runs.map((r) => r.total))), mib(size), mib(growth), judged && size >= 4 * 2 ** 20 ? verdict(met) : "not judged"]);
  }
  table(rows);
  console.log(judged ? `live-heap growth ≤ half the file (files over 4 MiB): ${verdict(allMet)}` : "heap growth not judged: run with --expose-gc (npm run bench:exports)");
});
