/**
 * bench:memory — server heap per connected participant.
 *
 * Measured: a debate with 1,000 joined participants (API). The server process
 * runs with --expose-gc; `GET /metrics?gc=1` forces a full GC and reports
 * heapUsed. Baseline: after a warm-up (20 sockets connected and closed, so
 * lazily loaded code and caches are not counted), with 0 sockets connected.
 * Then 1,000 sockets (one per participant, 4 worker processes) connect, the
 * joins' presence traffic settles, and the heap is read again. Reported:
 * (heap with 1,000 − heap with 0) / 1,000, plus RSS, and the heap after all
 * disconnect again (what is not given back would be a leak).
 * Each reading is the minimum of 3 forced-GC readings 300 ms apart.
 * Floor: the same measurement on bench/floor-server.ts (bare socket.io, one
 * room, no database): what a socket.io connection costs by itself.
 * Target: ≤ 20 KB of heap per participant.
 * Options (env): MEMORY_CLIENTS (1000).
 */
import { createDebate, joinMany } from "./lib/api";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { header, kib, mib, sleep, table, verdict, waitUntil } from "./lib/report";
import { startServerProcess, startSteelman, type ServerProcess } from "./lib/server-process";
import { randomUUID } from "node:crypto";
import { split, startWorkers, type WorkerPool } from "./lib/workers";

const CLIENTS = Number(process.env.MEMORY_CLIENTS ?? 1000);
const WORKERS = 4;
const PORT = 3531;
const PORT_FLOOR = 3532;

/** Minimum heapUsed (and RSS) over 3 forced-GC readings. */
async function heapAfterGc(server: ServerProcess) {
  let heap = Infinity;
  let rss = Infinity;
  let sockets = 0;
  for (let i = 0; i < 3; i++) {
    const m = await server.metrics(true);
    heap = Math.min(heap, m.heapUsedBytes);
    rss = Math.min(rss, m.rssBytes);
    sockets = m.connectedSockets;
    await sleep(300);
  }
  return { heap, rss, sockets };
}

async function settle(pool: WorkerPool) {
  await sleep(1_000); // presence is broadcast with a short delay after joins
  await waitUntil(async () => (await pool.all<{ msSinceLastPresence: number | null }>("stats")).every((s) => s.msSinceLastPresence === null || s.msSinceLastPresence >= 2_000), 120_000, 250);
}

/** Heap with 0 sockets (after a warm-up), with all `tokens` connected, and after they disconnect. */
async function measure(server: ServerProcess, pool: WorkerPool, debateId: string, tokens: string[]) {
  // Warm-up: load the code paths of a connection once.
  await pool.workers[0].request("connect", { url: server.url, debateId, tokens: tokens.slice(0, 20) });
  await settle(pool);
  await pool.all("close");
  await waitUntil(async () => (await server.metrics()).connectedSockets === 0, 10_000);
  await sleep(1_000);
  const before = await heapAfterGc(server);

  const slices = split(tokens, WORKERS);
  const connected = await pool.all<{ connected: number; failed: number; firstError: string | null }>("connect", (i) => ({ url: server.url, debateId, tokens: slices[i] }), 240_000);
  const failed = connected.reduce((n, c) => n + c.failed, 0);
  if (failed) throw new Error(`${failed} sockets failed to connect: ${connected.find((c) => c.firstError)?.firstError}`);
  await settle(pool);
  const during = await heapAfterGc(server);

  await pool.all("close");
  await waitUntil(async () => (await server.metrics()).connectedSockets === 0, 20_000);
  await sleep(2_000);
  const after = await heapAfterGc(server);

  return { before, during, after };
}

runBenchmark("bench:memory", 5 * 60_000, async () => {
  header("bench:memory", `Server heap (after a forced GC) with 0 and with ${CLIENTS} connected, joined participants in one debate.`);
  const database = await createBenchDatabase("memory");
  const server = await startSteelman(database.url, PORT);
  console.log(`steelman server: ${server.command}  (database ${database.name}, PostgreSQL ${database.version})`);
  const debate = await createDebate(server.url);
  const joined = await joinMany(server.url, debate.id, CLIENTS);
  const tokens = joined.map((j) => j.token);
  const pool = startWorkers("bench/workers/fanout-worker.ts", WORKERS);
  console.log(`workers: ${pool.command}`);

  const steelman = await measure(server, pool, debate.id, tokens);
  await server.stop();
  const floorServer = await startServerProcess({ script: "bench/floor-server.ts", port: PORT_FLOOR });
  console.log(`floor server: ${floorServer.command}`);
  const floor = await measure(floorServer, pool, randomUUID(), tokens.map(() => ""));
  await floorServer.stop();
  await pool.stop();
  const { before, during, after } = steelman;
  const perParticipant = (during.heap - before.heap) / CLIENTS;
  console.log("\nResults:");
  table([
    ["", "connected sockets", "heapUsed", "RSS"],
    ["before (after warm-up)", before.sockets, mib(before.heap), mib(before.rss)],
    [`with ${CLIENTS} participants`, during.sockets, mib(during.heap), mib(during.rss)],
    ["after all disconnected", after.sockets, mib(after.heap), mib(after.rss)],
  ]);
  console.log(`\nheap per connected participant: ${kib(perParticipant)} (${Math.round(perParticipant)} bytes)   target ≤ 20 KB (20,000 bytes): ${verdict(perParticipant <= 20_000)}`);
  console.log(`RSS per connected participant: ${kib((during.rss - before.rss) / CLIENTS)}`);
  const floorPer = (floor.during.heap - floor.before.heap) / CLIENTS;
  console.log(`floor (bare socket.io): ${kib(floorPer)} heap per connected socket (${mib(floor.before.heap)} → ${mib(floor.during.heap)} with ${floor.during.sockets} sockets); Steelman adds ${kib(perParticipant - floorPer)} per participant`);
  console.log(`heap not returned after disconnect: ${kib(after.heap - before.heap)} (${kib((after.heap - before.heap) / CLIENTS)} per participant)`);
});
