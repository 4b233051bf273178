/**
 * bench:fanout — latency of a live change reaching every participant.
 *
 * Measured: 1,000 participants (joined through the API, each with its own
 * socket, spread over 4 worker processes) in one debate; one more participant
 * (the host, in this process) posts an argument at a steady 5 per second,
 * 100 posts in all (20 s), always the same payload size. Each post's text
 * carries its send time (`bench-t=`, wall clock with sub-ms precision; every
 * process is on this machine); each receiving socket records receipt − send.
 * Reported: p50/p95/p99 over all 100 × 1,000 receipts and received vs expected;
 * per post, the first receipt (the server's work before it broadcasts) and the
 * spread between first and last receipt (the fan-out itself); CPU use.
 *
 * Servers under test, all started up front and each with its own 1,000 sockets:
 *  - the floor: bench/floor-server.ts, a bare socket.io server that only
 *    acknowledges and broadcasts a change of the same shape and size;
 *  - Steelman with the socket.io adapter `npm start` uses by default (postgres:
 *    every broadcast goes through PostgreSQL LISTEN/NOTIFY, for several processes);
 *  - Steelman with the in-memory adapter (one process).
 * The 20 s of posting per server are split in 4 rounds of 5 s, rotated between
 * the servers (A B C, B C A, …), so that a burst of load from elsewhere on
 * the machine hits all of them alike rather than one. Before the rounds:
 * every socket connects, the joins' presence traffic settles (no presence
 * event for 2 s), and 10 warm-up posts per server are sent and discarded.
 * Target: Steelman p99 ≤ 1.5 × floor p99.
 * Options (env): FANOUT_CLIENTS (1000), FANOUT_RATE (5/s), FANOUT_SECONDS (20),
 * FANOUT_ROUNDS (4), FANOUT_WORKERS (4), FANOUT_ADAPTERS (postgres,memory).
 */
import { randomUUID } from "node:crypto";
import { createDebate, joinMany } from "./lib/api";
import { meterCpu } from "./lib/cpu";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { describeLatency, header, ms, sleep, summarize, table, verdict, waitUntil, type Summary } from "./lib/report";
import { startServerProcess, startSteelman, type ServerProcess } from "./lib/server-process";
import { connectClient, type BenchSocket } from "./lib/socket";
import { postSteadily, receivedSoFar } from "./lib/load";
import { split, startWorkers, type WorkerPool } from "./lib/workers";

const CLIENTS = Number(process.env.FANOUT_CLIENTS ?? 1000);
const RATE = Number(process.env.FANOUT_RATE ?? 5);
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 20);
const ROUNDS = Number(process.env.FANOUT_ROUNDS ?? 4);
const WORKERS = Number(process.env.FANOUT_WORKERS ?? 4);
const ADAPTERS = (process.env.FANOUT_ADAPTERS ?? "postgres,memory").split(",").filter(Boolean);
const WARMUP_POSTS = 10;
const PORT_FLOOR = 3502;
const PORT_STEELMAN = [3501, 3503, 3504];
/** Fixed-length argument text: the marker (constant width) and filler, ~400 characters. */

/** One server under test with its clients. */
interface Target {
  key: string;
  label: string;
  server: ServerProcess;
  debateId: string;
  propositionId: string;
  poster: BenchSocket;
  posted: number;
  acks: number[];
  failures: string[];
  payloadBytes: number;
  connectMs: number;
  cpu: { wall: number; server: number; postgres: number; clients: number; machine: number };
}

interface Result {
  t: Target;
  expected: number;
  received: number;
  minPerClient: number;
  latency: Summary;
  /** Per post: the earliest receipt (the server's work before it broadcasts, plus one delivery). */
  firstReceipt: Summary;
  /** Per post: last receipt − first receipt (the fan-out to every client). */
  spread: Summary;
  ack: Summary;
}

async function connectTarget(pool: WorkerPool, key: string, label: string, server: ServerProcess, setup: { debateId: string; propositionId: string; posterToken?: string; tokens: string[] }): Promise<Target> {
  const slices = split(setup.tokens, pool.workers.length);
  const connected = await pool.all<{ failed: number; firstError: string | null; ms: number }>("connect", (i) => ({ group: key, url: server.url, debateId: setup.debateId, tokens: slices[i], concurrency: 10 }), 240_000);
  const failed = connected.reduce((n, c) => n + c.failed, 0);
  if (failed) throw new Error(`${label}: ${failed} sockets failed to connect (${connected.find((c) => c.firstError)?.firstError})`);
  const { socket: poster } = await connectClient(server.url, { debateId: setup.debateId, token: setup.posterToken });
  const connectMs = Math.max(...connected.map((c) => c.ms));
  console.log(`  ${label}: ${CLIENTS} sockets connected in ${(connectMs / 1000).toFixed(1)} s`);
  return { key, label, server, debateId: setup.debateId, propositionId: setup.propositionId, poster, posted: 0, acks: [], failures: [], payloadBytes: 0, connectMs, cpu: { wall: 0, server: 0, postgres: 0, clients: 0, machine: 0 } };
}

runBenchmark("bench:fanout", 6 * 60_000, async () => {
  header(
    "bench:fanout",
    `${CLIENTS} participants per server (${WORKERS} worker processes); the host posts ${RATE} arguments/s, ${RATE * SECONDS} posts per server in ${ROUNDS} rotated rounds; latency post → receipt at every participant.`,
  );
  const pool = startWorkers("bench/workers/fanout-worker.ts", WORKERS);
  console.log(`workers: ${pool.command}`);
  const clientPids = pool.workers.map((w) => w.child.pid!);

  const floor = await startServerProcess({ script: "bench/floor-server.ts", port: PORT_FLOOR });
  console.log(`floor server: ${floor.command}`);
  const db = await createBenchDatabase("fanout");
  const steelmen: { adapter: string; server: ServerProcess }[] = [];
  for (const [i, adapter] of ADAPTERS.entries()) {
    const server = await startSteelman(db.url, PORT_STEELMAN[i], { adapter });
    console.log(`steelman server: ${server.command}  (database ${db.name}, PostgreSQL ${db.version})`);
    steelmen.push({ adapter, server });
  }
  const debate = await createDebate(steelmen[0].server.url);
  const joined = await joinMany(steelmen[0].server.url, debate.id, CLIENTS);
  const tokens = joined.map((j) => j.token);

  const targets: Target[] = [await connectTarget(pool, "floor", "floor (bare socket.io)", floor, { debateId: randomUUID(), propositionId: randomUUID(), tokens: tokens.map(() => "") })];
  for (const { adapter, server } of steelmen) {
    targets.push(await connectTarget(pool, adapter, `steelman, ${adapter} adapter`, server, { debateId: debate.id, propositionId: debate.propositions[0].id, posterToken: debate.hostToken, tokens }));
  }
  const settleStart = Date.now();
  await sleep(1_000); // presence is broadcast with a short delay after joins
  await waitUntil(async () => (await pool.all<{ msSinceLastPresence: number | null }>("stats")).every((s) => s.msSinceLastPresence === null || s.msSinceLastPresence >= 2_000), 120_000, 250);
  console.log(`  presence settled after ${((Date.now() - settleStart) / 1000).toFixed(1)} s`);

  // Warm-up, discarded.
  for (const t of targets) {
    await postSteadily(t, `${t.key}_warm`, WARMUP_POSTS, RATE, (payload) => (t.payloadBytes = JSON.stringify(payload).length));
    await waitUntil(async () => (await receivedSoFar(pool, `${t.key}_warm`)) >= WARMUP_POSTS * CLIENTS, 10_000, 100);
    await pool.all("collect", () => ({ run: `${t.key}_warm`, group: t.key }));
    t.acks.length = 0;
    t.failures.length = 0;
  }

  // Measured rounds, rotating the order of the servers.
  const perRound = Math.round((RATE * SECONDS) / ROUNDS);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < targets.length; k++) {
      const t = targets[(r + k) % targets.length];
      const meter = meterCpu(t.server.pid, clientPids);
      await postSteadily(t, `${t.key}_main`, perRound, RATE, (payload) => (t.payloadBytes = JSON.stringify(payload).length));
      t.posted += perRound;
      await waitUntil(async () => (await receivedSoFar(pool, `${t.key}_main`)) >= t.acks.length * CLIENTS, 10_000, 100);
      const c = meter.stop();
      for (const key of Object.keys(t.cpu) as (keyof Target["cpu"])[]) t.cpu[key] += c[key];
    }
  }

  const results: Result[] = [];
  for (const t of targets) {
    const collected = await pool.all<{ latencies: number[]; sendTimes: number[]; minPerClient: number }>("collect", () => ({ run: `${t.key}_main`, group: t.key }));
    const latencies = collected.flatMap((c) => c.latencies);
    const perPost = new Map<number, { first: number; last: number }>();
    for (const c of collected) {
      c.sendTimes.forEach((sent, i) => {
        const p = perPost.get(sent) ?? { first: Infinity, last: -Infinity };
        p.first = Math.min(p.first, c.latencies[i]);
        p.last = Math.max(p.last, c.latencies[i]);
        perPost.set(sent, p);
      });
    }
    results.push({
      t,
      expected: t.acks.length * CLIENTS,
      received: latencies.length,
      minPerClient: Math.min(...collected.map((c) => c.minPerClient)),
      latency: summarize(latencies),
      firstReceipt: summarize([...perPost.values()].map((p) => p.first)),
      spread: summarize([...perPost.values()].map((p) => p.last - p.first)),
      ack: summarize(t.acks),
    });
    t.poster.close();
  }
  const legacy = (await pool.all<{ legacyEvents: number }>("stats")).reduce((n, s) => n + s.legacyEvents, 0);
  await pool.all("close");
  await pool.stop();
  for (const t of targets) await t.server.stop();

  const floorResult = results[0];
  const col = (fn: (r: Result) => string) => results.map(fn);
  const per = (r: Result, x: number) => (x / r.t.cpu.wall).toFixed(2);
  console.log(`\nResults (post payload ${targets[0].payloadBytes} bytes of JSON; ${perRound * ROUNDS} measured posts per server after ${WARMUP_POSTS} warm-up posts; ${CLIENTS} receivers each):`);
  table([
    ["", ...results.map((r) => r.t.label)],
    ["received / expected", ...col((r) => `${r.received} / ${r.expected}`)],
    ["fewest received by one client", ...col((r) => `${r.minPerClient} / ${r.t.acks.length}`)],
    ["latency p50", ...col((r) => ms(r.latency.p50))],
    ["latency p95", ...col((r) => ms(r.latency.p95))],
    ["latency p99", ...col((r) => ms(r.latency.p99))],
    ["latency max", ...col((r) => ms(r.latency.max))],
    ["p99 / p99 floor", ...col((r) => (r.latency.p99 / floorResult.latency.p99).toFixed(2))],
    ["poster's ack p50 / p99", ...col((r) => `${ms(r.ack.p50)} / ${ms(r.ack.p99)}`)],
    ["per post: first receipt p50 / p99", ...col((r) => `${ms(r.firstReceipt.p50)} / ${ms(r.firstReceipt.p99)}`)],
    ["per post: last − first receipt p50 / p99", ...col((r) => `${ms(r.spread.p50)} / ${ms(r.spread.p99)}`)],
    ["cores busy: server / PostgreSQL / clients / machine", ...col((r) => `${per(r, r.t.cpu.server)} / ${per(r, r.t.cpu.postgres)} / ${per(r, r.t.cpu.clients)} / ${per(r, r.t.cpu.machine)}`)],
    [`connect ${CLIENTS} sockets`, ...col((r) => `${(r.t.connectMs / 1000).toFixed(1)} s`)],
  ]);
  for (const r of results) console.log(`${r.t.label}: ${describeLatency(r.latency)}${r.t.failures.length ? `; ${r.t.failures.length} posts failed: ${r.t.failures[0]}` : ""}`);
  if (legacy) console.log(`note: the servers also sent ${legacy} legacy argument:created events`);
  console.log("");
  for (const r of results.slice(1)) {
    const ratio = r.latency.p99 / floorResult.latency.p99;
    console.log(`${r.t.label}: p99 / p99 floor = ${ratio.toFixed(2)}   target ≤ 1.5: ${verdict(ratio <= 1.5)}`);
    console.log(`${r.t.label}: delivered ${r.received} of ${r.expected} (${((100 * r.received) / Math.max(1, r.expected)).toFixed(2)} %)   complete: ${verdict(r.received === r.expected && r.expected === r.t.posted * CLIENTS)}`);
  }
});
