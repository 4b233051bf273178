/**
 * bench:proxy — two Steelman processes behind HAProxy against one process, for fan-out and votes.
 *
 * Set-up (all on this machine, all started by the benchmark and stopped at its end):
 *  - "one process": bench/server.ts on PROXY_PORT + 1, with its own database and its own Redis
 *    (Redis Streams adapter and Redis rate-limit counters, as `npm run cluster` runs each process);
 *  - "two processes through HAProxy": bench/server.ts on PROXY_PORT + 2 and + 3, sharing one
 *    database and one Redis, behind HAProxy on PROXY_PORT configured by scripts/lib/haproxy.ts
 *    exactly as `npm run cluster` (round robin, cookie stickiness, /healthz checks). The clients
 *    use the WebSocket transport, so HAProxy spreads the connections evenly (printed per process);
 *  - floors: the bare socket.io server (bench/floor-server.ts) directly, and through an HAProxy of
 *    the same configuration (the proxy's own cost); for votes, a raw SQL upsert at the same
 *    concurrency through a pg pool of 20 connections (the two processes' pools together).
 * The two set-ups have separate databases and Redis servers on the one PostgreSQL server, so the
 * rooms of one never reach the other.
 *
 * Fan-out: PROXY_CLIENTS participants per target (PROXY_WORKERS worker processes) hold a socket
 * each; the host posts PROXY_RATE arguments/s through the target's address, PROXY_RATE ×
 * PROXY_SECONDS posts per target in PROXY_ROUNDS rounds rotated between the targets; latency is
 * post → receipt at every participant (bench/workers/fanout-worker.ts). Votes: PROXY_VOTERS
 * participants vote in a closed loop on 10 propositions (bench/workers/votes-worker.ts) for
 * PROXY_VOTE_SECONDS per set-up, in rounds alternating between the set-ups; then every tally is
 * compared with a recount of the Vote table (drift must be 0) and every client's view with the
 * stored tallies.
 * Printed: p50/p99 and acknowledged votes/s of each, the ratio two processes / one process, the
 * floors, the CPU used, and the machine's load average before each part (the machine may be shared).
 * Needs `haproxy` (fails at once with how to install it when absent) and, for the Redis adapter,
 * `redis-server` on PATH or BENCH_REDIS_URL (without either: the PostgreSQL adapter, said so).
 * Options (env): PROXY_CLIENTS (1000), PROXY_RATE (5), PROXY_SECONDS (20), PROXY_ROUNDS (4),
 * PROXY_VOTERS (200), PROXY_VOTE_SECONDS (30), PROXY_WORKERS (4), PROXY_PORT (3570; uses it to + 9).
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import pg from "pg";
import type { VoteTally } from "../app/shared/contract";
import { findHaproxy, HAPROXY_MISSING, startHaproxy } from "../scripts/lib/haproxy";
import { createDebate, getDebate, joinMany } from "./lib/api";
import { machineBusySeconds, namedCpuSeconds, processCpuSeconds } from "./lib/cpu";
import { createBenchDatabase, type BenchDatabase } from "./lib/db";
import { onCleanup, runBenchmark } from "./lib/lifecycle";
import { benchRedis } from "./lib/redis";
import { describeLatency, header, ms, nowMs, sleep, summarize, table, verdict, waitUntil } from "./lib/report";
import { benchRateLimits, startServerProcess, type ServerProcess } from "./lib/server-process";
import { connectClient, type BenchSocket } from "./lib/socket";
import { postSteadily, receivedSoFar, recountVotes, type PostTarget } from "./lib/load";
import { split, startWorkers, type WorkerPool } from "./lib/workers";

const CLIENTS = Number(process.env.PROXY_CLIENTS ?? 1000);
const RATE = Number(process.env.PROXY_RATE ?? 5);
const SECONDS = Number(process.env.PROXY_SECONDS ?? 20);
const ROUNDS = Number(process.env.PROXY_ROUNDS ?? 4);
const VOTERS = Number(process.env.PROXY_VOTERS ?? 200);
const VOTE_SECONDS = Number(process.env.PROXY_VOTE_SECONDS ?? 30);
const WORKERS = Number(process.env.PROXY_WORKERS ?? 4);
const BASE = Number(process.env.PROXY_PORT ?? 3570);
const PROPOSITIONS = 10;
const WARMUP_POSTS = 5;
const VALUES = ["agree", "disagree", "unsure"] as const;

const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

/** One set-up under test: its address, the server processes behind it, and its debate. */
interface Setup {
  key: string;
  label: string;
  url: string;
  servers: ServerProcess[];
  debateId: string;
  propositionIds: string[];
  hostToken?: string;
  tokens: string[];
  database?: BenchDatabase;
}

interface FanoutTarget {
  setup: Setup;
  poster: BenchSocket;
  posted: number;
  acks: number[];
  failures: string[];
  cpu: { wall: number; servers: number; postgres: number; machine: number };
}

/** The fan-out target as postSteadily sees it: its poster, the first proposition, its ack and failure lists (shared). */
const postTarget = (t: FanoutTarget): PostTarget => ({ poster: t.poster, propositionId: t.setup.propositionIds[0]!, acks: t.acks, failures: t.failures });

/** Runs `work` with a pg client on `databaseUrl`, closed afterwards. */
async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** CPU meter over the given server processes, PostgreSQL and the machine. */
function meter(pids: number[]) {
  const servers = () => pids.reduce((n, pid) => n + processCpuSeconds(pid), 0);
  const t0 = performance.now();
  const s0 = servers();
  const p0 = namedCpuSeconds("postgres");
  const m0 = machineBusySeconds();
  return () => ({ wall: (performance.now() - t0) / 1000, servers: servers() - s0, postgres: namedCpuSeconds("postgres") - p0, machine: machineBusySeconds() - m0 });
}

/** Starts bench/server.ts on `port` with its database and Redis (or the PostgreSQL adapter without Redis). */
function startBenchServer(databaseUrl: string, port: number, redisUrl: string | undefined): Promise<ServerProcess> {
  return startServerProcess({
    script: "bench/server.ts",
    port,
    env: { DATABASE_URL: databaseUrl, SOCKET_ADAPTER: redisUrl ? "redis" : "postgres", ...(redisUrl ? { REDIS_URL: redisUrl } : {}), ...(benchRateLimits ? { RATE_LIMITS: benchRateLimits } : {}) },
  });
}

/** The API's tallies (read through the set-up's address) against the recount: summed absolute difference. */
async function driftCheck(s: Setup) {
  const debate = await getDebate(s.url, s.debateId);
  const counted = await withClient(s.database!.url, (client) => recountVotes(client, s.debateId));
  let drift = 0;
  const expected: Record<string, VoteTally> = {};
  for (const id of s.propositionIds) {
    const api = debate.propositions.find((p) => p.id === id)!.tally;
    const sql = counted.get(id) ?? { agree: 0, disagree: 0, unsure: 0, total: 0 };
    drift += Math.abs(api.agree - sql.agree) + Math.abs(api.disagree - sql.disagree) + Math.abs(api.unsure - sql.unsure) + Math.abs(api.total - sql.total);
    expected[id] = sql;
  }
  return { drift, expected, votes: [...counted.values()].reduce((n, t) => n + t.total, 0) };
}

/** Raw upsert floor: VOTERS closed loops through a pg pool of 20 on a scratch copy of "Vote". */
async function upsertFloor(databaseUrl: string, participants: string[], propositionIds: string[], seconds: number) {
  const db = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  db.on("error", () => undefined);
  await db.query(`CREATE TABLE IF NOT EXISTS bench_floor_vote (LIKE "Vote" INCLUDING ALL)`);
  const sql = `INSERT INTO bench_floor_vote (id, "participantId", "propositionId", value, "updatedAt") VALUES (gen_random_uuid(), $1, $2, $3::"VoteValue", now())
    ON CONFLICT ("participantId", "propositionId") DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now()`;
  const deadline = nowMs() + seconds * 1000;
  const latencies: number[] = [];
  const started = nowMs();
  await Promise.all(
    participants.map(async (participant) => {
      while (nowMs() < deadline) {
        const t = nowMs();
        await db.query(sql, [participant, propositionIds[Math.floor(Math.random() * propositionIds.length)], VALUES[Math.floor(Math.random() * VALUES.length)]]);
        latencies.push(nowMs() - t);
      }
    }),
  );
  const elapsed = (nowMs() - started) / 1000;
  await db.end();
  return { perSecond: latencies.length / elapsed, latency: summarize(latencies) };
}

runBenchmark("bench:proxy", 10 * 60_000, async () => {
  header(
    "bench:proxy",
    `Two Steelman processes behind HAProxy (cookie stickiness, /healthz checks) against one process: fan-out to ${CLIENTS} participants at ${RATE} posts/s (${RATE * SECONDS} posts per set-up, ${ROUNDS} rotated rounds), then ${VOTERS} voters in a closed loop for ${VOTE_SECONDS} s per set-up.`,
  );
  const loadAtStart = load();
  const haproxy = findHaproxy();
  if (!haproxy) throw new Error(HAPROXY_MISSING);
  console.log(`haproxy: ${haproxy}`);

  // The two set-ups, each with its own database and Redis.
  const [dbOne, dbTwo] = [await createBenchDatabase("proxy_one"), await createBenchDatabase("proxy_two")];
  const [redisOne, redisTwo] = [await benchRedis(BASE + 8), await benchRedis(BASE + 9)];
  const sameRedis = redisOne !== undefined && redisOne === redisTwo; // BENCH_REDIS_URL: one Redis, so the set-ups share its streams
  console.log(redisOne ? `socket.io adapter: Redis Streams (${redisOne}${sameRedis ? "" : `, ${redisTwo}`}); rate-limit counters in Redis` : "socket.io adapter: PostgreSQL (no redis-server on PATH and no BENCH_REDIS_URL)");
  const one = await startBenchServer(dbOne.url, BASE + 1, redisOne);
  const twoA = await startBenchServer(dbTwo.url, BASE + 2, redisTwo);
  const twoB = await startBenchServer(dbTwo.url, BASE + 3, redisTwo);
  console.log(`steelman servers: ${one.command}  (×3: ports ${BASE + 1}; ${BASE + 2} and ${BASE + 3} behind HAProxy; PostgreSQL ${dbOne.version})`);
  const proxy = await startHaproxy({ bindPort: BASE, backends: [{ name: "a", port: BASE + 2 }, { name: "b", port: BASE + 3 }] });
  onCleanup(proxy.stop);
  console.log(`haproxy: ${proxy.command}`);
  const floor = await startServerProcess({ script: "bench/floor-server.ts", port: BASE + 4 });
  const floorProxy = await startHaproxy({ bindPort: BASE + 5, backends: [{ name: "floor", port: BASE + 4 }] });
  onCleanup(floorProxy.stop);
  console.log(`floor: ${floor.command}, directly and through HAProxy on ${BASE + 5}`);

  const prepare = async (key: string, label: string, url: string, servers: ServerProcess[], database: BenchDatabase): Promise<Setup> => {
    const debate = await createDebate(url, PROPOSITIONS + 2);
    const joined = await joinMany(url, debate.id, Math.max(CLIENTS, VOTERS), `Bench ${key}`);
    return { key, label, url, servers, database, debateId: debate.id, propositionIds: debate.propositions.slice(0, PROPOSITIONS).map((p) => p.id), hostToken: debate.hostToken, tokens: joined.map((j) => j.token) };
  };
  const setups = {
    one: await prepare("one", "one process, directly", one.url, [one], dbOne),
    two: await prepare("two", "two processes through HAProxy", proxy.url, [twoA, twoB], dbTwo),
  };
  const floors: Setup[] = [
    { key: "floor", label: "floor: bare socket.io, directly", url: floor.url, servers: [floor], debateId: randomUUID(), propositionIds: [randomUUID()], tokens: Array.from({ length: CLIENTS }, () => "") },
    { key: "floorproxy", label: "floor: bare socket.io through HAProxy", url: floorProxy.url, servers: [floor], debateId: randomUUID(), propositionIds: [randomUUID()], tokens: Array.from({ length: CLIENTS }, () => "") },
  ];

  // ---- Fan-out
  console.log(`\n-- fan-out (load average before: ${load()})`);
  const pool = startWorkers("bench/workers/fanout-worker.ts", WORKERS);
  const targets: FanoutTarget[] = [];
  for (const s of [...floors, setups.one, setups.two]) {
    const slices = split(s.tokens.slice(0, CLIENTS), WORKERS);
    const connected = await pool.all<{ failed: number; firstError: string | null; ms: number }>("connect", (i) => ({ group: s.key, url: s.url, debateId: s.debateId, tokens: slices[i], concurrency: 10 }), 240_000);
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    if (failed) throw new Error(`${s.label}: ${failed} sockets failed to connect (${connected.find((c) => c.firstError)?.firstError})`);
    const { socket: poster } = await connectClient(s.url, { debateId: s.debateId, token: s.hostToken });
    targets.push({ setup: s, poster, posted: 0, acks: [], failures: [], cpu: { wall: 0, servers: 0, postgres: 0, machine: 0 } });
    console.log(`  ${s.label}: ${CLIENTS} sockets connected in ${(Math.max(...connected.map((c) => c.ms)) / 1000).toFixed(1)} s`);
  }
  const spread = await Promise.all([twoA, twoB].map(async (server) => (await server.metrics()).connectedSockets));
  console.log(`  sockets per process behind HAProxy: ${spread.join(" / ")} (the ${CLIENTS} participants and the poster, over WebSocket: round robin)`);
  await sleep(1_000);
  await waitUntil(async () => (await pool.all<{ msSinceLastPresence: number | null }>("stats")).every((s) => s.msSinceLastPresence === null || s.msSinceLastPresence >= 2_000), 120_000, 250);
  for (const t of targets) {
    await postSteadily(postTarget(t), `${t.setup.key}_warm`, WARMUP_POSTS, RATE);
    await waitUntil(async () => (await receivedSoFar(pool, `${t.setup.key}_warm`)) >= t.acks.length * CLIENTS, 10_000, 100);
    await pool.all("collect", () => ({ run: `${t.setup.key}_warm`, group: t.setup.key }));
    t.acks.length = 0;
    t.failures.length = 0;
  }
  const perRound = Math.max(1, Math.round((RATE * SECONDS) / ROUNDS));
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < targets.length; k++) {
      const t = targets[(r + k) % targets.length];
      const stop = meter(t.setup.servers.map((s) => s.pid));
      await postSteadily(postTarget(t), `${t.setup.key}_main`, perRound, RATE);
      t.posted += perRound;
      await waitUntil(async () => (await receivedSoFar(pool, `${t.setup.key}_main`)) >= t.acks.length * CLIENTS, 10_000, 100);
      const c = stop();
      for (const key of Object.keys(t.cpu) as (keyof FanoutTarget["cpu"])[]) t.cpu[key] += c[key];
    }
  }
  const fanout = [];
  for (const t of targets) {
    const collected = await pool.all<{ latencies: number[]; minPerClient: number }>("collect", () => ({ run: `${t.setup.key}_main`, group: t.setup.key }));
    const latencies = collected.flatMap((c) => c.latencies);
    fanout.push({ t, expected: t.acks.length * CLIENTS, received: latencies.length, latency: summarize(latencies), ack: summarize(t.acks) });
    t.poster.close();
  }
  await pool.all("close");
  await pool.stop();
  const loadAfterFanout = load();

  const [floorDirect, floorThrough, fanOne, fanTwo] = fanout;
  const busy = (t: FanoutTarget, x: number) => (x / Math.max(0.001, t.cpu.wall)).toFixed(2);
  console.log(`\nFan-out results (${CLIENTS} receivers per set-up, ${perRound * ROUNDS} measured posts each; load average after: ${loadAfterFanout}):`);
  table([
    ["", ...fanout.map((f) => f.t.setup.label)],
    ["received / expected", ...fanout.map((f) => `${f.received} / ${f.expected}`)],
    ["latency p50", ...fanout.map((f) => ms(f.latency.p50))],
    ["latency p99", ...fanout.map((f) => ms(f.latency.p99))],
    ["p99 / p99 of the floor through HAProxy", ...fanout.map((f) => (f.latency.p99 / floorThrough.latency.p99).toFixed(2))],
    ["poster's ack p50 / p99", ...fanout.map((f) => `${ms(f.ack.p50)} / ${ms(f.ack.p99)}`)],
    ["cores busy: servers / PostgreSQL / machine", ...fanout.map((f) => `${busy(f.t, f.t.cpu.servers)} / ${busy(f.t, f.t.cpu.postgres)} / ${busy(f.t, f.t.cpu.machine)}`)],
  ]);
  for (const f of fanout) console.log(`${f.t.setup.label}: ${describeLatency(f.latency)}${f.t.failures.length ? `; ${f.t.failures.length} posts failed: ${f.t.failures[0]}` : ""}`);
  console.log(`HAProxy's own cost (floor through it / directly): p50 ${(floorThrough.latency.p50 / floorDirect.latency.p50).toFixed(2)}, p99 ${(floorThrough.latency.p99 / floorDirect.latency.p99).toFixed(2)}`);
  console.log(`fan-out ratio two processes / one process: p50 ${(fanTwo.latency.p50 / fanOne.latency.p50).toFixed(2)}, p99 ${(fanTwo.latency.p99 / fanOne.latency.p99).toFixed(2)} (below 1: faster through the proxy)`);
  for (const f of [fanOne, fanTwo]) {
    console.log(`${f.t.setup.label}: delivered ${f.received} of ${f.expected}   complete: ${verdict(f.received === f.expected && f.expected === f.t.posted * CLIENTS)}`);
  }

  // ---- Votes
  console.log(`\n-- votes (load average before: ${load()})`);
  const votePools = new Map<string, WorkerPool>();
  for (const s of [setups.one, setups.two]) {
    const vp = startWorkers("bench/workers/votes-worker.ts", 2);
    const slices = split(s.tokens.slice(0, VOTERS), 2);
    const connected = await vp.all<{ failed: number; firstError: string | null }>("connect", (i) => ({ url: s.url, debateId: s.debateId, tokens: slices[i] }), 240_000);
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    if (failed) throw new Error(`${s.label}: ${failed} voters failed to connect (${connected.find((c) => c.firstError)?.firstError})`);
    votePools.set(s.key, vp);
  }
  const votes = new Map<string, { acked: number; seconds: number; latencies: number[]; errors: Record<string, number>; cpu: { wall: number; servers: number; postgres: number; machine: number } }>();
  const voteRound = async (s: Setup, seconds: number, measured: boolean) => {
    const stop = meter(s.servers.map((x) => x.pid));
    const started = nowMs();
    const replies = await votePools.get(s.key)!.all<{ acked: number; latencies: number[]; errors: Record<string, number> }>("run", () => ({ propositionIds: s.propositionIds, durationMs: seconds * 1000 }), seconds * 1000 + 60_000);
    const c = stop();
    if (!measured) return;
    const v = votes.get(s.key) ?? { acked: 0, seconds: 0, latencies: [], errors: {}, cpu: { wall: 0, servers: 0, postgres: 0, machine: 0 } };
    v.seconds += (nowMs() - started) / 1000;
    for (const r of replies) {
      v.acked += r.acked;
      v.latencies.push(...r.latencies);
      for (const [k, n] of Object.entries(r.errors)) v.errors[k] = (v.errors[k] ?? 0) + n;
    }
    for (const key of Object.keys(v.cpu) as (keyof typeof v.cpu)[]) v.cpu[key] += c[key];
    votes.set(s.key, v);
  };
  for (const s of [setups.one, setups.two]) await voteRound(s, Math.min(3, VOTE_SECONDS), false);
  const voteRounds = Math.max(1, Math.min(ROUNDS, Math.floor(VOTE_SECONDS)));
  for (let r = 0; r < voteRounds; r++) {
    for (const s of r % 2 ? [setups.two, setups.one] : [setups.one, setups.two]) await voteRound(s, VOTE_SECONDS / voteRounds, true);
  }
  await sleep(1_500); // the last coalesced tally broadcasts
  const checks = new Map<string, { drift: number; votes: number; converged: number; clients: number; firstMismatch: string | null }>();
  for (const s of [setups.one, setups.two]) {
    const d = await driftCheck(s);
    const views = await votePools.get(s.key)!.all<{ clients: number; converged: number; firstMismatch: string | null }>("check", () => ({ expected: d.expected }));
    checks.set(s.key, { drift: d.drift, votes: d.votes, converged: views.reduce((n, v) => n + v.converged, 0), clients: views.reduce((n, v) => n + v.clients, 0), firstMismatch: views.find((v) => v.firstMismatch)?.firstMismatch ?? null });
  }
  for (const vp of votePools.values()) {
    await vp.all("close");
    await vp.stop();
  }
  const loadAfterVotes = load();
  const floorVotes = await upsertFloor(dbTwo.url, (await recountParticipants(dbTwo.url, setups.two.debateId)).slice(0, VOTERS), setups.two.propositionIds, Math.min(VOTE_SECONDS, 10));

  const rate = (key: string) => votes.get(key)!.acked / votes.get(key)!.seconds;
  const fmtErrors = (e: Record<string, number>) => (Object.keys(e).length ? Object.entries(e).map(([k, n]) => `${k}: ${n}`).join(", ") : "none");
  console.log(`\nVote results (${VOTERS} voters per set-up, ${PROPOSITIONS} propositions, ${voteRounds} alternating rounds; load average after: ${loadAfterVotes}):`);
  table([
    ["", "acked votes/s", "ack p50", "ack p99", "errors", "cores busy: servers / PostgreSQL / machine"],
    ...[setups.one, setups.two].map((s) => {
      const v = votes.get(s.key)!;
      const l = summarize(v.latencies);
      const per = (x: number) => (x / Math.max(0.001, v.cpu.wall)).toFixed(2);
      return [s.label, rate(s.key).toFixed(0), ms(l.p50), ms(l.p99), fmtErrors(v.errors), `${per(v.cpu.servers)} / ${per(v.cpu.postgres)} / ${per(v.cpu.machine)}`];
    }),
    [`floor: raw upsert, pg pool of 20, ${VOTERS} loops`, floorVotes.perSecond.toFixed(0), ms(floorVotes.latency.p50), ms(floorVotes.latency.p99), "none", "-"],
  ]);
  console.log(`votes ratio two processes / one process: ${(rate("two") / rate("one")).toFixed(2)} (above 1: more votes/s through the proxy); two processes reach ${((100 * rate("two")) / floorVotes.perSecond).toFixed(0)} % of the raw-upsert floor`);
  for (const s of [setups.one, setups.two]) {
    const c = checks.get(s.key)!;
    console.log(`${s.label}: ${c.votes} stored votes; drift API vs SQL recount = ${c.drift}   drift 0: ${verdict(c.drift === 0)}`);
    console.log(`${s.label}: clients holding the stored tallies ${c.converged}/${c.clients}${c.firstMismatch ? ` (${c.firstMismatch})` : ""}   converged: ${verdict(c.converged === c.clients)}`);
  }
  console.log(`\nload average: at start ${loadAtStart}; after fan-out ${loadAfterFanout}; after votes ${loadAfterVotes}; now ${load()} (${os.cpus().length} cores)`);
});

/** Participant ids of a debate (for the floor's upserts, which need real foreign keys). */
async function recountParticipants(databaseUrl: string, debateId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ id: string }>(`SELECT id FROM "Participant" WHERE "debateId" = $1 ORDER BY id`, [debateId])).rows.map((r) => r.id);
  } finally {
    await client.end();
  }
}
