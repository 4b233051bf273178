/**
 * bench:votes — vote throughput and tally exactness.
 *
 * Measured: 200 participants (4 worker processes, one socket each) vote in a
 * closed loop — the next vote as soon as the previous ack returns — on a
 * random proposition among 10 with a random value (agree / disagree / unsure),
 * for 30 s. Reported: acknowledged votes per second and ack latency. Then:
 *  - drift: every proposition's tally from GET /api/debates/:id is compared with
 *    a recount of the Vote table in SQL (pg); the summed difference must be 0;
 *  - convergence: every client's view (highest-version tally seen through acks
 *    and coalesced `vote:tallied` broadcasts) must equal the stored tally.
 * Worst case: the same with all 200 voters on a single proposition (15 s).
 *
 * Floors, same database, same 200-way concurrency through a pg pool of 10
 * connections (the server's Prisma pool size), same duration, on scratch
 * tables of the same shape (`LIKE … INCLUDING ALL`):
 *  - raw upsert: one `INSERT … ON CONFLICT ("participantId","propositionId") DO UPDATE`;
 *  - castVote's transaction in raw SQL: BEGIN; bump the proposition's
 *    tallyVersion (row lock); upsert; recount; store the opId; COMMIT — the
 *    statements the server runs, without Prisma or socket.io.
 * Where the time goes: server, PostgreSQL and client CPU from /proc; what the
 * server's database connections do (pg_stat_activity samples); GET /metrics
 * response times (event-loop delay); and castVote run in this process without
 * sockets (server stopped), with its SQL statements counted.
 * Targets: ≥ 2,000 acked votes/s (issue 14; an earlier goal was 1,000), drift 0.
 * Options (env): VOTES_CLIENTS (200), VOTES_SECONDS (30), VOTES_SINGLE_SECONDS (15), VOTES_PROPOSITIONS (10), VOTES_BREAKDOWN (2000).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { VoteTally } from "../app/shared/contract";
import { createDebate, getDebate, joinMany } from "./lib/api";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { describeLatency, header, ms, nowMs, sleep, summarize, table, verdict, type Summary } from "./lib/report";
import { startSteelman } from "./lib/server-process";
import { formatActivity, sampleActivity } from "./lib/pg-activity";
import { describeCpu, meterCpu } from "./lib/cpu";
import { probeLatency } from "./lib/probe";
import { split, startWorkers, type WorkerPool } from "./lib/workers";
import { recountVotes } from "./lib/load";

const CLIENTS = Number(process.env.VOTES_CLIENTS ?? 200);
const SECONDS = Number(process.env.VOTES_SECONDS ?? 30);
const SINGLE_SECONDS = Number(process.env.VOTES_SINGLE_SECONDS ?? 15);
const PROPOSITIONS = Number(process.env.VOTES_PROPOSITIONS ?? 10);
/** Votes cast through the service in this process (a quarter of them one at a time), for the per-vote cost breakdown. */
const BREAKDOWN_VOTES = Number(process.env.VOTES_BREAKDOWN ?? 2000);
const WORKERS = 4;
const POOL_SIZE = 10;
/** The server's port; VOTES_PORT chooses another (several people benchmarking on one machine). */
const PORT = Number(process.env.VOTES_PORT ?? 3511);
const VALUES = ["agree", "disagree", "unsure"] as const;

interface RunResult {
  label: string;
  seconds: number;
  acked: number;
  perSecond: number;
  latency: Summary;
  errors: Record<string, number>;
  broadcastsPerClientPerSecond: number;
}

async function voteRun(pool: WorkerPool, label: string, propositionIds: string[], seconds: number): Promise<RunResult> {
  const started = nowMs();
  const replies = await pool.all<{ acked: number; latencies: number[]; errors: Record<string, number>; broadcastsReceived: number }>(
    "run",
    () => ({ propositionIds, durationMs: seconds * 1000 }),
    seconds * 1000 + 60_000,
  );
  const elapsed = (nowMs() - started) / 1000;
  const acked = replies.reduce((n, r) => n + r.acked, 0);
  const errors: Record<string, number> = {};
  for (const r of replies) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    label,
    seconds: elapsed,
    acked,
    perSecond: acked / elapsed,
    latency: summarize(replies.flatMap((r) => r.latencies)),
    errors,
    broadcastsPerClientPerSecond: replies.reduce((n, r) => n + r.broadcastsReceived, 0) / CLIENTS / elapsed,
  };
}

type View = { clients: number; converged: number; firstMismatch: string | null };
/** How long after the last acknowledgement every client may take to hold the stored tallies before it counts as not converged. */
const SETTLE_LIMIT_MS = 15_000;

/**
 * Asks the clients every 250 ms whether they hold the stored tallies (`check`), until all do or
 * SETTLE_LIMIT_MS has passed: the last coalesced broadcasts (every 250 ms per proposition) and the
 * clients' backlog of received events take a moment after the last acknowledgement.
 * @returns the last views and the milliseconds until every client held them (or the limit).
 */
async function settle(pool: WorkerPool, check: { expected: Record<string, VoteTally>; versions: Record<string, number | null> }): Promise<{ views: View[]; ms: number }> {
  const started = nowMs();
  for (;;) {
    const views = await pool.all<View>("check", () => ({ expected: check.expected, versions: check.versions }));
    const ms = nowMs() - started;
    if (views.every((v) => v.converged === v.clients) || ms >= SETTLE_LIMIT_MS) return { views, ms };
    await sleep(250);
  }
}

/** Compares the API's tallies with the SQL recount; returns the summed absolute difference and the stored tallies. */
async function driftCheck(baseUrl: string, db: pg.Pool, debateId: string, propositionIds: string[]) {
  const debate = await getDebate(baseUrl, debateId);
  const counted = await recountVotes(db, debateId);
  let drift = 0;
  const expected: Record<string, VoteTally> = {};
  for (const id of propositionIds) {
    const api = debate.propositions.find((p) => p.id === id)!.tally;
    const sql = counted.get(id) ?? { agree: 0, disagree: 0, unsure: 0, total: 0 };
    drift += Math.abs(api.agree - sql.agree) + Math.abs(api.disagree - sql.disagree) + Math.abs(api.unsure - sql.unsure) + Math.abs(api.total - sql.total);
    expected[id] = sql;
  }
  const votes = [...counted.values()].reduce((n, t) => n + t.total, 0);
  // The stored tally versions, printed next to a client's view when it did not converge.
  const versions = Object.fromEntries(debate.propositions.filter((p) => propositionIds.includes(p.id)).map((p) => [p.id, (p as { tallyVersion?: number }).tallyVersion ?? null]));
  return { drift, expected, votes, versions };
}

/** Runs `op` in `concurrency` closed loops for `seconds`; returns completions per second and latencies. */
async function floorLoop(concurrency: number, seconds: number, op: (i: number) => Promise<void>) {
  const deadline = nowMs() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const started = nowMs();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      while (nowMs() < deadline) {
        const t = nowMs();
        try {
          await op(i);
          latencies.push(nowMs() - t);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
          await sleep(5);
        }
      }
    }),
  );
  const elapsed = (nowMs() - started) / 1000;
  return { perSecond: latencies.length / elapsed, count: latencies.length, latency: summarize(latencies), errors, firstError };
}

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];

/**
 * castVote without sockets, in this process (server stopped): the service as
 * the server runs it (Prisma over a pg pool of 10), with every SQL statement
 * counted. `concurrency` votes in flight, `count` votes in all. Returns the
 * statements per vote, wall time per vote and this process's CPU per vote.
 */
async function serviceBreakdown(databaseUrl: string, debateId: string, tokens: string[], propositionIds: string[], count: number, concurrency: number) {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { PrismaClient } = await import("../app/generated/prisma/client.ts");
  const { createServices } = await import("../server/services");
  const { RateLimits } = await import("../server/services/rate-limits");
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  pool.on("error", () => undefined); // idle connections closed when the database is dropped
  let statements = 0;
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      statements++;
      return query(...args);
    }) as typeof client.query;
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const noPublisher = new Proxy({}, { get: () => () => undefined }) as Parameters<typeof createServices>[0]["publisher"];
  const services = createServices({ db: prisma, publisher: noPublisher, limits: new RateLimits("off") }); // as the bench server
  const actors = await Promise.all(tokens.map((t) => services.findParticipant(debateId, t)));
  let n = 0; // actors in turn
  const vote = () => services.castVote(actors[n++ % actors.length]!, { opId: randomUUID(), propositionId: pick(propositionIds), value: pick(VALUES) });
  for (let i = 0; i < 20; i++) await vote(); // warm-up
  await sleep(2_000);
  statements = 0;
  const cpu0 = process.cpuUsage();
  const t0 = nowMs();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await vote();
      }
    }),
  );
  const wall = nowMs() - t0;
  const cpu = process.cpuUsage(cpu0);
  await prisma.$disconnect();
  await pool.end().catch(() => undefined);
  return { statementsPerVote: statements / count, votesPerSecond: (1000 * count) / wall, cpuMsPerVote: (cpu.user + cpu.system) / 1000 / count };
}

runBenchmark("bench:votes", 6 * 60_000, async () => {
  header(
    "bench:votes",
    `${CLIENTS} participants (${WORKERS} worker processes) vote and change votes as fast as acks return: ${PROPOSITIONS} propositions for ${SECONDS} s, then 1 proposition for ${SINGLE_SECONDS} s.`,
  );
  const database = await createBenchDatabase("votes");
  const server = await startSteelman(database.url, PORT);
  console.log(`steelman server: ${server.command}  (database ${database.name}, PostgreSQL ${database.version})`);
  const debate = await createDebate(server.url, Math.max(PROPOSITIONS, 2));
  const propositionIds = debate.propositions.slice(0, PROPOSITIONS).map((p) => p.id);
  const joined = await joinMany(server.url, debate.id, CLIENTS);
  const pool = startWorkers("bench/workers/votes-worker.ts", WORKERS);
  console.log(`workers: ${pool.command}`);
  const slices = split(joined.map((j) => j.token), WORKERS);
  const connected = await pool.all<{ connected: number; failed: number; firstError: string | null }>("connect", (i) => ({ url: server.url, debateId: debate.id, tokens: slices[i] }));
  const failed = connected.reduce((n, c) => n + c.failed, 0);
  if (failed) throw new Error(`${failed} sockets failed to connect: ${connected.find((c) => c.firstError)?.firstError}`);
  await sleep(1_000);
  const db = new pg.Pool({ connectionString: database.url, max: POOL_SIZE });
  db.on("error", () => undefined);

  // Warm-up (JIT, pools), included in the drift check but not in the rate.
  await voteRun(pool, "warm-up", propositionIds, 3);
  const sampler = await sampleActivity(database.url, database.name);
  const cpu = meterCpu(server.pid, pool.workers.map((w) => w.child.pid!));
  const probe = probeLatency(server.url, 200, server.metricsHeaders);
  const main = await voteRun(pool, `${PROPOSITIONS} propositions`, propositionIds, SECONDS);
  const cpuUsed = cpu.stop();
  const responsiveness = await probe.stop();
  const activity = await sampler.stop();
  const mainCheck = await driftCheck(server.url, db, debate.id, propositionIds);
  const { views: mainViews, ms: mainSettleMs } = await settle(pool, mainCheck);

  const single = await voteRun(pool, "1 proposition", [propositionIds[0]], SINGLE_SECONDS);
  const singleCheck = await driftCheck(server.url, db, debate.id, propositionIds);
  const { views: singleViews, ms: singleSettleMs } = await settle(pool, singleCheck);
  await pool.all("close");
  await pool.stop();
  await server.stop();

  // Floors: raw SQL through pg on scratch tables of the same shape, same concurrency.
  await db.query(`CREATE TABLE bench_floor_vote (LIKE "Vote" INCLUDING ALL);
    CREATE TABLE bench_floor_proposition (LIKE "Proposition" INCLUDING ALL);
    CREATE TABLE bench_floor_operation (LIKE "Operation" INCLUDING ALL);
    INSERT INTO bench_floor_proposition SELECT * FROM "Proposition" WHERE "debateId" = '${debate.id}';`);
  const participants = joined.map((j) => j.participant.id);
  const upsertSql = `INSERT INTO bench_floor_vote (id, "participantId", "propositionId", value, "updatedAt") VALUES (gen_random_uuid(), $1, $2, $3::"VoteValue", now())
    ON CONFLICT ("participantId", "propositionId") DO UPDATE SET value = EXCLUDED.value, "updatedAt" = now()`;
  const rawFloor = await floorLoop(CLIENTS, SECONDS, (i) => db.query(upsertSql, [participants[i], pick(propositionIds), pick(VALUES)]).then(() => undefined));
  const txFloor = (ids: string[]) =>
    floorLoop(CLIENTS, ids.length === 1 ? SINGLE_SECONDS : SECONDS, async (i) => {
      const client = await db.connect();
      const propositionId = pick(ids);
      try {
        await client.query("BEGIN");
        await client.query(`UPDATE bench_floor_proposition SET "tallyVersion" = "tallyVersion" + 1 WHERE id = $1 RETURNING "tallyVersion"`, [propositionId]);
        await client.query(upsertSql, [participants[i], propositionId, pick(VALUES)]);
        await client.query(`SELECT value, count(*) FROM bench_floor_vote WHERE "propositionId" = $1 GROUP BY value`, [propositionId]);
        await client.query(`INSERT INTO bench_floor_operation ("opId", "participantId", kind, result) VALUES (gen_random_uuid(), $1, 'vote.cast', '{}')`, [participants[i]]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    });
  const txFloorMany = await txFloor(propositionIds);
  const txFloorOne = await txFloor([propositionIds[0]]);
  await db.end();
  const tokens = joined.map((j) => j.token);
  const alone = await serviceBreakdown(database.url, debate.id, tokens, propositionIds, BREAKDOWN_VOTES / 4, 1);
  const busy = await serviceBreakdown(database.url, debate.id, tokens, propositionIds, BREAKDOWN_VOTES, 50);

  const fmtErrors = (e: Record<string, number>) => (Object.keys(e).length ? Object.entries(e).map(([k, v]) => `${k}: ${v}`).join(", ") : "none");
  console.log(`\nResults (${CLIENTS} concurrent voters; floors through a pg pool of ${POOL_SIZE}):`);
  table([
    ["", "acked votes/s", "ack p50", "ack p99", "errors", "tally broadcasts/client/s"],
    [`steelman, ${PROPOSITIONS} propositions (${main.seconds.toFixed(0)} s)`, main.perSecond.toFixed(0), ms(main.latency.p50), ms(main.latency.p99), fmtErrors(main.errors), main.broadcastsPerClientPerSecond.toFixed(1)],
    [`steelman, 1 proposition (${single.seconds.toFixed(0)} s)`, single.perSecond.toFixed(0), ms(single.latency.p50), ms(single.latency.p99), fmtErrors(single.errors), single.broadcastsPerClientPerSecond.toFixed(1)],
    [`floor: raw upsert, ${PROPOSITIONS} propositions`, rawFloor.perSecond.toFixed(0), ms(rawFloor.latency.p50), ms(rawFloor.latency.p99), String(rawFloor.errors), "-"],
    [`floor: castVote's SQL transaction, ${PROPOSITIONS} propositions`, txFloorMany.perSecond.toFixed(0), ms(txFloorMany.latency.p50), ms(txFloorMany.latency.p99), String(txFloorMany.errors), "-"],
    [`floor: castVote's SQL transaction, 1 proposition`, txFloorOne.perSecond.toFixed(0), ms(txFloorOne.latency.p50), ms(txFloorOne.latency.p99), String(txFloorOne.errors), "-"],
  ]);
  if (rawFloor.firstError || txFloorMany.firstError || txFloorOne.firstError) console.log(`floor error: ${rawFloor.firstError ?? txFloorMany.firstError ?? txFloorOne.firstError}`);
  console.log(`steelman ${PROPOSITIONS} propositions ack latency: ${describeLatency(main.latency)}`);
  console.log(`steelman 1 proposition ack latency:  ${describeLatency(single.latency)}`);
  console.log(`\nCPU during the ${PROPOSITIONS}-proposition run: ${describeCpu(cpuUsed)}; server CPU per acked vote ${ms((1000 * cpuUsed.server) / Math.max(1, main.acked))}`);
  console.log(`GET /metrics answered in ${describeLatency(responsiveness)} during that run (the server's event-loop delay; idle it answers in ~1 ms)`);
  console.log(`the server's database connections during the ${PROPOSITIONS}-proposition run (pg_stat_activity, average count per sample, ${activity.samples} samples):\n${formatActivity(activity)}`);
  console.log(`castVote in this process without sockets (Prisma over a pg pool of ${POOL_SIZE}; no broadcasts): ${alone.statementsPerVote.toFixed(1)} SQL statements per vote; one at a time ${alone.votesPerSecond.toFixed(0)} votes/s, ${ms(alone.cpuMsPerVote)} CPU per vote; 50 in flight ${busy.votesPerSecond.toFixed(0)} votes/s, ${ms(busy.cpuMsPerVote)} CPU per vote`);
  const sum = (v: { converged: number }[]) => v.reduce((n, x) => n + x.converged, 0);
  console.log(`\nafter ${PROPOSITIONS}-proposition run: ${mainCheck.votes} stored votes; drift API vs SQL recount = ${mainCheck.drift}; clients holding the stored tallies: ${sum(mainViews)}/${CLIENTS} after ${Math.round(mainSettleMs)} ms${mainViews.find((v) => v.firstMismatch) ? ` (${mainViews.find((v) => v.firstMismatch)!.firstMismatch})` : ""}`);
  console.log(`after 1-proposition run:  ${singleCheck.votes} stored votes; drift API vs SQL recount = ${singleCheck.drift}; clients holding the stored tallies: ${sum(singleViews)}/${CLIENTS} after ${Math.round(singleSettleMs)} ms${singleViews.find((v) => v.firstMismatch) ? ` (${singleViews.find((v) => v.firstMismatch)!.firstMismatch})` : ""}`);
  console.log(`\nacked votes/s ${main.perSecond.toFixed(0)} (floor raw upsert ${rawFloor.perSecond.toFixed(0)}; ${((100 * main.perSecond) / rawFloor.perSecond).toFixed(0)} % of it)   target ≥ 2,000/s (issue 14): ${verdict(main.perSecond >= 2000)}`);
  console.log(`drift ${mainCheck.drift + singleCheck.drift}   target 0: ${verdict(mainCheck.drift + singleCheck.drift === 0)}`);
  console.log(`clients converged (within ${SETTLE_LIMIT_MS / 1000} s of the last acknowledgement): ${verdict(sum(mainViews) === CLIENTS && sum(singleViews) === CLIENTS)}`);
});
