/**
 * bench:polis — a Polis-scale debate stays fast (issue 14).
 *
 * Setup: a debate of 6,300 participants, 2,200 propositions, 500,000 votes and 10,000
 * arguments (threads to depth 8, sources on every 4th, 2 ratings per participant, the change
 * log), written straight into PostgreSQL: the debate by bench/lib/seed-large.ts (INSERT …
 * SELECT FROM unnest), the votes by bench/lib/seed-polis.ts (INSERT … SELECT over
 * generate_series, three camps so the opinion groups are meaningful; the trigger-kept tally
 * counters follow the Vote rows). Seeding is checked: the counters against a SQL recount.
 * Measured against the real server (bench/server.ts, its own process), one request at a time,
 * after 1 warm-up:
 *  (a) GET /api/debates/:id (the frame, docs/decisions/0026-debate-page-frame.md) and, when
 *      build/ exists (`npm run build`), GET /debates/:id.data (the page's loader data);
 *  (c) GET /api/debates/:id/results (the results page's data), and where its time goes: the
 *      service in this process and its two reads that grow with the votes;
 *  (b) `vote:cast` over socket.io: a few clients each cast votes one after another on random
 *      propositions; ack latency; then the drift: the API's tallies and the stored counters
 *      against a SQL recount of the Vote rows (must be 0); then how long until the server's
 *      own opinion-groups job (pg-boss, 2 s settle) has stored groups that include those votes;
 *  (d) the opinion-groups recompute as the job runs it, in this process (server stopped):
 *      services.recomputeOpinionGroups (input key, reading the votes from PostgreSQL through
 *      Prisma, the compute worker thread, storing the snapshot), the stored snapshot deleted
 *      before each run (one cold run, which starts the worker thread, then POLIS_GROUPS_RUNS);
 *      and its parts: the reads alone and the computation alone.
 * Targets (issue 14): the frame and the loader data ≤ 300 ms (median); groups recompute ≤ 5 s
 * (median); votes all acked with drift 0.
 * Options (env): POLIS_PARTICIPANTS (6300), POLIS_PROPOSITIONS (2200), POLIS_VOTES (500000),
 * POLIS_ARGUMENTS (10000), POLIS_RUNS (5), POLIS_GROUPS_RUNS (3), POLIS_VOTERS (4),
 * POLIS_VOTES_PER_VOTER (100), POLIS_PORT (3531).
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { participantCookieName, type DebateDTO, type VoteTally } from "../app/shared/contract";
import { ClientEvent } from "../app/shared/operations";
import { api, joinMany, type Joined } from "./lib/api";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { recountVotes } from "./lib/load";
import { timeGet, type TimedGets } from "./lib/http";
import { describeLatency, header, kib, median, ms, nowMs, projectRoot, sleep, summarize, table, verdict, type Summary } from "./lib/report";
import { seedLargeDebate } from "./lib/seed-large";
import { seedPolisVotes } from "./lib/seed-polis";
import { startSteelman } from "./lib/server-process";
import { connectClient, emitAck, type BenchSocket } from "./lib/socket";

const SMOKE = process.env.BENCH_SMOKE === "1";
const PARTICIPANTS = Number(process.env.POLIS_PARTICIPANTS ?? 6300);
const PROPOSITIONS = Number(process.env.POLIS_PROPOSITIONS ?? 2200);
const VOTES = Number(process.env.POLIS_VOTES ?? 500_000);
const ARGUMENTS = Number(process.env.POLIS_ARGUMENTS ?? 10_000);
const RUNS = Number(process.env.POLIS_RUNS ?? (SMOKE ? 1 : 5));
const GROUPS_RUNS = Number(process.env.POLIS_GROUPS_RUNS ?? (SMOKE ? 1 : 3));
const VOTERS = Number(process.env.POLIS_VOTERS ?? 4);
const VOTES_PER_VOTER = Number(process.env.POLIS_VOTES_PER_VOTER ?? (SMOKE ? 20 : 100));
/** The server's port (POLIS_PORT, default 3531). */
const PORT = Number(process.env.POLIS_PORT ?? 3531);
const TARGET_DATA_MS = 300;
const TARGET_GROUPS_MS = 5_000;
/** How long to wait for the server's own opinion-groups job after the last vote. */
const JOB_WAIT_MS = 120_000;
const VALUES = ["agree", "disagree", "unsure"] as const;

/** The summed absolute difference between two sets of tallies over `ids`. */
function tallyDrift(ids: string[], a: (id: string) => VoteTally | undefined, b: (id: string) => VoteTally | undefined): number {
  const zero = { agree: 0, disagree: 0, unsure: 0, total: 0 };
  let drift = 0;
  for (const id of ids) {
    const x = a(id) ?? zero;
    const y = b(id) ?? zero;
    drift += Math.abs(x.agree - y.agree) + Math.abs(x.disagree - y.disagree) + Math.abs(x.unsure - y.unsure) + Math.abs(x.total - y.total);
  }
  return drift;
}

/** The propositions' trigger-kept counters (not a recount), keyed by id. */
async function storedCounters(db: pg.Pool, debateId: string): Promise<Map<string, VoteTally>> {
  const { rows } = await db.query<{ id: string; agree: number; disagree: number; unsure: number }>(
    `SELECT id, "agreeCount" AS agree, "disagreeCount" AS disagree, "unsureCount" AS unsure FROM "Proposition" WHERE "debateId" = $1`,
    [debateId],
  );
  return new Map(rows.map((r) => [r.id, { agree: r.agree, disagree: r.disagree, unsure: r.unsure, total: r.agree + r.disagree + r.unsure }]));
}

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];
const row = (label: string, s: Summary, extra: string[] = []) => [label, ms(s.p50), ms(s.p95), ms(s.max), String(s.n), ...extra];

runBenchmark("bench:polis", SMOKE ? 3 * 60_000 : 25 * 60_000, async () => {
  header(
    `bench:polis${SMOKE ? " (smoke)" : ""}`,
    `A Polis-scale debate: ${PARTICIPANTS.toLocaleString("en")} participants, ${PROPOSITIONS.toLocaleString("en")} propositions, ${VOTES.toLocaleString("en")} votes, ${ARGUMENTS.toLocaleString("en")} arguments: the frame, the loader data, the results, vote acks and the opinion-groups recompute.`,
  );
  const database = await createBenchDatabase("polis");
  const seeded = await seedLargeDebate(database.url, { propositions: PROPOSITIONS, args: ARGUMENTS, maxDepth: 8, authors: PARTICIPANTS, votesPerAuthor: 0, ratingsPerAuthor: 2 });
  const { debateId } = seeded;
  const votesSeeded = await seedPolisVotes(database.url, debateId, VOTES);
  console.log(`seeded in ${(seeded.seconds + votesSeeded.seconds).toFixed(1)} s: the debate in ${seeded.seconds.toFixed(1)} s (${Object.entries(seeded.counts).filter(([k]) => k !== "Vote").map(([k, v]) => `${v} ${k}`).join(", ")}), ${votesSeeded.votes} votes in ${votesSeeded.seconds.toFixed(1)} s`);
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  db.on("error", () => undefined);
  const propositionIds = (await db.query<{ id: string }>(`SELECT id FROM "Proposition" WHERE "debateId" = $1 ORDER BY position`, [debateId])).rows.map((r) => r.id);
  const seedRecount = await recountVotes(db, debateId);
  const seedCounters = await storedCounters(db, debateId);
  const seedDrift = tallyDrift(propositionIds, (id) => seedCounters.get(id), (id) => seedRecount.get(id));

  const buildEntry = path.join(projectRoot, "build", "server", "index.js");
  const serveApp = existsSync(buildEntry);
  const server = await startSteelman(database.url, PORT, { serveApp });
  console.log(`steelman server: ${server.command}  (database ${database.name}, PostgreSQL ${database.version})${serveApp ? "" : "; build/ missing: the loader data is not measured (npm run build)"}`);
  const viewer = await api<Joined>(server.url, `/api/debates/${debateId}/participants`, { body: { displayName: "Viewer" } });
  const cookie = { cookie: `${participantCookieName(debateId)}=${viewer.token}` };

  // (a) and (c): reads, one at a time.
  const frameGet = await timeGet(`${server.url}/api/debates/${debateId}`, RUNS, cookie);
  const dataGet = serveApp ? await timeGet(`${server.url}/debates/${debateId}.data`, RUNS, cookie) : null;
  const resultsGet = await timeGet(`${server.url}/api/debates/${debateId}/results`, RUNS, cookie);
  const frame = await api<DebateDTO>(server.url, `/api/debates/${debateId}`);

  // (b) votes: VOTERS sockets, each casting its votes one after another (all in flight together).
  const voters = await joinMany(server.url, debateId, VOTERS, "Voter", VOTERS);
  const sockets: BenchSocket[] = [];
  for (const v of voters) sockets.push((await connectClient(server.url, { debateId, token: v.token })).socket);
  const latencies: number[] = [];
  const failures: string[] = [];
  const voteStart = nowMs();
  await Promise.all(
    sockets.map(async (socket) => {
      for (let i = 0; i < VOTES_PER_VOTER; i++) {
        const t = nowMs();
        try {
          const reply = await emitAck(socket, ClientEvent.castVote, { opId: randomUUID(), propositionId: pick(propositionIds), value: pick(VALUES) }, 30_000);
          if (reply.ok) latencies.push(nowMs() - t);
          else failures.push(reply.error.message);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    }),
  );
  const voteEnd = nowMs();
  const voteSeconds = (voteEnd - voteStart) / 1000;
  const lastVoteAt = new Date();
  for (const s of sockets) s.close();
  const after = await api<DebateDTO>(server.url, `/api/debates/${debateId}`);
  const recount = await recountVotes(db, debateId);
  const counters = await storedCounters(db, debateId);
  const apiTallies = new Map(after.propositions.map((p) => [p.id, p.tally]));
  const apiDrift = tallyDrift(propositionIds, (id) => apiTallies.get(id), (id) => recount.get(id));
  const counterDrift = tallyDrift(propositionIds, (id) => counters.get(id), (id) => recount.get(id));
  const totalVotes = [...recount.values()].reduce((n, t) => n + t.total, 0);
  // The server's own job (pg-boss, after its settle time) recomputes the groups with these votes.
  const jobStart = nowMs();
  let jobMs: number | null = null;
  while (nowMs() - jobStart < JOB_WAIT_MS) {
    const { rows } = await db.query<{ computedAt: Date | null }>(`SELECT "computedAt" FROM "OpinionGroupsSnapshot" WHERE "debateId" = $1`, [debateId]);
    if (rows[0]?.computedAt && rows[0].computedAt >= lastVoteAt) {
      jobMs = nowMs() - voteEnd;
      break;
    }
    await sleep(250);
  }
  await server.stop();

  // (d) the recompute as the job runs it, in this process.
  const { createPrismaClient } = await import("../server/db");
  const { createServices } = await import("../server/services");
  const { silentPublisher } = await import("../server/services/context");
  const { RateLimits } = await import("../server/services/rate-limits");
  const { ComputeRunner } = await import("../server/compute/runner");
  const prisma = createPrismaClient(database.url);
  const compute = new ComputeRunner();
  const services = createServices({ db: prisma, publisher: silentPublisher, limits: new RateLimits("off"), compute });
  const recomputes: number[] = [];
  const reads: number[] = [];
  const computes: number[] = [];
  let groupSizes = "";
  // The first run starts the compute worker thread (as the server's first recompute does): reported apart.
  let cold = NaN;
  for (let i = 0; i <= GROUPS_RUNS; i++) {
    await db.query(`DELETE FROM "OpinionGroupsSnapshot" WHERE "debateId" = $1`, [debateId]);
    let t = nowMs();
    const outcome = await services.recomputeOpinionGroups(debateId);
    if (i === 0) cold = nowMs() - t;
    else recomputes.push(nowMs() - t);
    if (outcome !== "computed") throw new Error(`recomputeOpinionGroups answered "${outcome}" after the snapshot was deleted`);
    // The same reads as loadOpinionInput (server/services/opinion-groups.ts), then the computation alone.
    t = nowMs();
    const [participants, propositions, votes] = await Promise.all([
      prisma.participant.findMany({ where: { debateId }, select: { id: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
      prisma.proposition.findMany({ where: { debateId }, select: { id: true, meta: true, hiddenAt: true }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] }),
      prisma.vote.findMany({ where: { proposition: { debateId } }, select: { participantId: true, propositionId: true, value: true } }),
    ]);
    if (i > 0) reads.push(nowMs() - t);
    t = nowMs();
    const result = await compute.opinionGroups({ participantIds: participants.map((p) => p.id), propositions: propositions.map((p) => ({ id: p.id, excluded: p.meta || p.hiddenAt !== null })), votes });
    if (i > 0) computes.push(nowMs() - t);
    groupSizes = result.status === "ready" ? `${result.groups.length} groups (sizes ${result.groups.map((g) => g.size).join(" / ")}), ${result.participantsClustered} participants clustered` : `no groups: ${result.reason}`;
  }
  // Where the results read's time goes: the service in this process, and its two reads that scale with the votes.
  const timeN = async (fn: () => Promise<unknown>) => {
    await fn();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = nowMs();
      await fn();
      times.push(nowMs() - t);
    }
    return summarize(times);
  };
  const resultsService = await timeN(() => services.getResults(debateId, null));
  const firstValueRead = await timeN(() =>
    prisma.vote.findMany({ where: { proposition: { debateId }, firstValue: { not: null }, participant: { removedAt: null } }, select: { participantId: true, propositionId: true, value: true, firstValue: true, updatedAt: true } }),
  );
  const distinctVoters = await timeN(() => prisma.vote.findMany({ where: { proposition: { debateId } }, distinct: ["participantId"], select: { participantId: true } }));
  await compute.close();
  await prisma.$disconnect();
  await db.end();

  console.log(`\nSizes: ${PROPOSITIONS} propositions, ${totalVotes.toLocaleString("en")} votes after the vote run; the frame carries ${frame.propositions.length} propositions and ${frame.arguments.length} arguments (${frame.frame?.complete ? "whole" : "pages inlined"})`);
  console.log(`\nReads (${RUNS} sequential requests after 1 warm-up):`);
  const reqRow = (label: string, r: TimedGets) => row(label, summarize(r.times), [kib(r.bytes), r.failed.length ? `${r.failed.length} failed: ${r.failed.join(", ")}` : ""]);
  table([
    ["", "p50", "p95", "max", "n", "size", ""],
    reqRow("(a) GET /api/debates/:id (frame)", frameGet),
    ...(dataGet ? [reqRow("(a) GET /debates/:id.data (loader)", dataGet)] : []),
    reqRow("(c) GET /api/debates/:id/results", resultsGet),
  ]);
  const acks = summarize(latencies);
  console.log(`\n(b) vote:cast: ${VOTERS} sockets × ${VOTES_PER_VOTER} votes one after another, ${latencies.length} acked in ${voteSeconds.toFixed(1)} s; ack latency ${describeLatency(acks)}${failures.length ? `; ${failures.length} failed, first: ${failures[0]}` : ""}`);
  console.log(`    the server's opinion-groups job stored groups with those votes ${jobMs === null ? `not within ${JOB_WAIT_MS / 1000} s` : `${ms(jobMs)} after the last ack (its settle time included)`}`);
  console.log(`\n(d) opinion groups on ${totalVotes.toLocaleString("en")} votes (${GROUPS_RUNS} runs after a cold one, in this process, server stopped; ${groupSizes}):`);
  console.log(`    cold (the first, starting the compute worker thread): ${ms(cold)}`);
  table([
    ["", "p50", "p95", "max", "n"],
    row("services.recomputeOpinionGroups (the job's work)", summarize(recomputes)),
    row("  its reads alone (Prisma: participants, propositions, votes)", summarize(reads)),
    row("  its computation alone (compute worker thread)", summarize(computes)),
  ]);

  console.log(`\n(c) where the results read's time goes (${RUNS} runs after 1 warm-up, in this process):`);
  table([
    ["", "p50", "p95", "max", "n"],
    row("services.getResults", resultsService),
    row("  changed minds: every vote with a first value (server/services/changed-minds.ts)", firstValueRead),
    row("  voters: votes distinct by participant", distinctVoters),
  ]);

  console.log("");
  console.log(`seeded tallies drift (trigger-kept counters against a SQL recount, ${propositionIds.length} propositions): ${seedDrift}: ${verdict(seedDrift === 0)}`);
  console.log(`votes acked complete (${latencies.length} of ${VOTERS * VOTES_PER_VOTER}): ${verdict(latencies.length === VOTERS * VOTES_PER_VOTER)}`);
  console.log(`votes drift 0 (API tallies ${apiDrift}, stored counters ${counterDrift}, against a SQL recount of the Vote rows): ${apiDrift + counterDrift}: ${verdict(apiDrift === 0 && counterDrift === 0)}`);
  console.log(`target frame ≤ ${TARGET_DATA_MS} ms (median): ${ms(median(frameGet.times))}: ${verdict(frameGet.failed.length === 0 && median(frameGet.times) <= TARGET_DATA_MS)}`);
  if (dataGet) console.log(`target loader data ≤ ${TARGET_DATA_MS} ms (median): ${ms(median(dataGet.times))}: ${verdict(dataGet.failed.length === 0 && median(dataGet.times) <= TARGET_DATA_MS)}`);
  console.log(`target groups recompute ≤ 5 s (median of the warm runs, reads from PostgreSQL included): ${ms(median(recomputes))}: ${verdict(median(recomputes) <= TARGET_GROUPS_MS)}`);
  console.log(`(the results read has no target in the issue: median ${ms(median(resultsGet.times))})`);
});
