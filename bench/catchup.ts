/**
 * bench:catchup — reconnecting clients get exactly what they missed.
 *
 * Measured: a big debate (CATCHUP_PROPOSITIONS propositions, 100) and 200 participants connected
 * (4 worker processes), each tracking the last change number it applied. 20 arguments are posted
 * live (everyone applies them), then all 200 disconnect, keeping their lastSeq. A writer (the host,
 * in this process) makes 2,000 changes, 8 in flight, spread evenly over the propositions: 70 %
 * posts (every third a rebuttal to a top-level argument), 20 % edits of top-level arguments, 10 %
 * deletions of rebuttals (the mix is printed). Then all 200 reconnect at once with `auth.lastSeq`,
 * twice from the same point:
 * 1. as a big debate's page does (app/realtime/held-catch-up.ts): each declares it holds the
 *    arguments of the first CATCHUP_HELD propositions (10: the frame's three and a few screens of
 *    scrolling) and gets their changes in full, counts for the others;
 * 2. holding everything (a page with every argument, as every client before issue 14's counts),
 *    which gets every change (CATCHUP_FULL=0 leaves it out).
 * Reported for each: time from the reconnect until every client's seq equals the server's latest
 * (GET /api/debates/:id `seq`), per-client p50/p95/max, the catch-up payload size, CPU, and the
 * check: every client holds every argument of the held propositions (or of the debate) exactly
 * once — none missing, none delivered twice, no gap — and, holding parts, no argument of the
 * others sent in the catch-up and the counts of every proposition equal the stored ones.
 * Target: catch-up complete and exact; 200 back in sync in ≤ 2 s (issue 14).
 * Options (env): CATCHUP_CLIENTS (200), CATCHUP_CHANGES (2000), CATCHUP_PROPOSITIONS (100),
 * CATCHUP_HELD (10), CATCHUP_FULL (1), CATCHUP_PORT (3541).
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import pg from "pg";
import type { ArgumentDTO, DebateChange, DebateFrameDTO } from "../app/shared/contract";
import { ServerEvent } from "../app/shared/contract";
import { ClientEvent } from "../app/shared/operations";
import { plainTextToArgumentBody } from "../app/shared/lexical";
import { createDebate, getDebate, joinMany } from "./lib/api";
import { describeCpu, meterCpu } from "./lib/cpu";
import { createBenchDatabase } from "./lib/db";
import { runBenchmark } from "./lib/lifecycle";
import { formatActivity, sampleActivity } from "./lib/pg-activity";
import { describeLatency, header, kib, ms, nowMs, summarize, verdict, waitUntil } from "./lib/report";
import { startSteelman } from "./lib/server-process";
import { connectClient, emitAck, type BenchSocket } from "./lib/socket";
import { split, startWorkers } from "./lib/workers";

const CLIENTS = Number(process.env.CATCHUP_CLIENTS ?? 200);
const CHANGES = Number(process.env.CATCHUP_CHANGES ?? 2000);
const PROPOSITIONS = Number(process.env.CATCHUP_PROPOSITIONS ?? 100);
const HELD = Number(process.env.CATCHUP_HELD ?? 10);
const FULL = process.env.CATCHUP_FULL !== "0";
const LIVE_CHANGES = 20;
const WORKERS = 4;
const IN_FLIGHT = 8;
/** The server's port; CATCHUP_PORT chooses another (several people benchmarking on one machine). */
const PORT = Number(process.env.CATCHUP_PORT ?? 3541);

const body = (label: string, i: number) =>
  plainTextToArgumentBody(`${label} argument ${i + 1}: a reason of ordinary length, about two hundred characters, to make the catch-up payload realistic for a real debate's arguments.`);

/** What a writer did: arguments posted, and how many changes of each kind landed where. */
interface Written {
  posted: ArgumentDTO[];
  failures: string[];
  mix: { posts: number; rebuttals: number; edits: number; deletions: number };
  /** Changes per proposition id. */
  perProposition: Map<string, number>;
}

/**
 * Makes `count` changes, `IN_FLIGHT` at a time, spread evenly over `propositionIds` (change i on
 * proposition i mod n, in rounds of n): with `mixed`, of every ten rounds seven of posts (every third a rebuttal to a top-level
 * argument of that proposition), two of edits of a top-level argument and one of deletions of a rebuttal
 * (edits and deletions of disjoint arguments, rebuttals never to a deleted one, so none is refused);
 * else posts only (every third a rebuttal).
 */
async function write(writer: BenchSocket, propositionIds: string[], count: number, label: string, mixed: boolean): Promise<Written> {
  const out: Written = { posted: [], failures: [], mix: { posts: 0, rebuttals: 0, edits: 0, deletions: 0 }, perProposition: new Map() };
  const tops = new Map<string, ArgumentDTO[]>();
  const replies = new Map<string, ArgumentDTO[]>();
  const take = (m: Map<string, ArgumentDTO[]>, pid: string) => m.get(pid)?.shift();
  let next = 0;
  const act = async (i: number): Promise<{ ok: true; data: ArgumentDTO | unknown } | { ok: false; error: { message: string } }> => {
    const propositionId = propositionIds[i % propositionIds.length]!;
    // The kind by round (each round is one change on every proposition), so each proposition gets the whole mix.
    const slot = Math.floor(i / propositionIds.length) % 10;
    out.perProposition.set(propositionId, (out.perProposition.get(propositionId) ?? 0) + 1);
    if (mixed && (slot === 7 || slot === 8)) {
      const target = take(tops, propositionId);
      if (target) {
        out.mix.edits++;
        return emitAck(writer, ClientEvent.editArgument, { opId: randomUUID(), argumentId: target.id, body: body(`${label} edited`, i) });
      }
    }
    if (mixed && slot === 9) {
      const target = take(replies, propositionId);
      if (target) {
        out.mix.deletions++;
        return emitAck(writer, ClientEvent.deleteArgument, { opId: randomUUID(), argumentId: target.id });
      }
    }
    const candidates = tops.get(propositionId) ?? [];
    const parent = i % 3 === 2 && candidates.length ? candidates[Math.floor(Math.random() * candidates.length)]! : null;
    out.mix.posts++;
    if (parent) out.mix.rebuttals++;
    const reply = await emitAck<ArgumentDTO>(writer, ClientEvent.postArgument, { opId: randomUUID(), propositionId, parentId: parent?.id ?? null, stance: i % 2 ? "con" : "pro", body: body(label, i) });
    if (reply.ok) {
      out.posted.push(reply.data);
      const into = reply.data.parentId ? replies : tops;
      into.set(propositionId, [...(into.get(propositionId) ?? []), reply.data]);
    }
    return reply;
  };
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const reply = await act(next++).catch((e: Error) => ({ ok: false as const, error: { message: e.message } }));
        if (!reply.ok) out.failures.push(reply.error.message);
      }
    }),
  );
  return out;
}

/** Counts per proposition as the frame counts them (server/services/debate-frame.ts), read from the tables. */
async function storedCounts(url: string, debateId: string, propositionIds: string[]): Promise<DebateFrameDTO["counts"]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const rows = (
    await db.query<{ propositionId: string; pro: number; con: number; all: number }>(
      `SELECT "propositionId"::text AS "propositionId",
        (count(*) FILTER (WHERE "parentId" IS NULL AND "deletedAt" IS NULL AND "hiddenAt" IS NULL AND stance = 'pro'))::int AS pro,
        (count(*) FILTER (WHERE "parentId" IS NULL AND "deletedAt" IS NULL AND "hiddenAt" IS NULL AND stance = 'con'))::int AS con,
        (count(*) FILTER (WHERE "deletedAt" IS NULL))::int AS "all"
      FROM "Argument" WHERE "debateId" = $1 GROUP BY 1`,
      [debateId],
    )
  ).rows;
  await db.end();
  const counts: DebateFrameDTO["counts"] = Object.fromEntries(propositionIds.map((id) => [id, { pro: 0, con: 0, all: 0 }]));
  for (const r of rows) if (counts[r.propositionId]) counts[r.propositionId] = { pro: r.pro, con: r.con, all: r.all };
  return counts;
}

type Reconnected = { failed: number; firstError: string | null; syncedAt: (number | null)[]; lastSeqs: number[]; modes: string[]; catchUpBytes: number };
type Checked = { clients: number; exact: number; missing: number; duplicates: number; extra: number; outOfOrder: number; stuck: number; outOfOrderSamples: string[]; unheldSent: number; countsWrong: number };

runBenchmark("bench:catchup", 8 * 60_000, async () => {
  header("bench:catchup", `${CLIENTS} participants of a ${PROPOSITIONS}-proposition debate disconnect, ${CHANGES} changes are made, all reconnect with lastSeq (holding the arguments of the first ${HELD} propositions${FULL ? ", then holding everything" : ""}); time to be in sync, and exactness.`);
  const database = await createBenchDatabase("catchup");
  const server = await startSteelman(database.url, PORT);
  console.log(`steelman server: ${server.command}  (database ${database.name}, PostgreSQL ${database.version})`);
  const debate = await createDebate(server.url, PROPOSITIONS);
  const propositionIds = debate.propositions.map((p) => p.id);
  const heldIds = propositionIds.slice(0, HELD);
  const joined = await joinMany(server.url, debate.id, CLIENTS);
  const pool = startWorkers("bench/workers/catchup-worker.ts", WORKERS);
  console.log(`workers: ${pool.command}`);
  const slices = split(joined.map((j) => j.token), WORKERS);
  const connected = await pool.all<{ failed: number; firstError: string | null }>("connect", (i) => ({ url: server.url, debateId: debate.id, tokens: slices[i] }));
  if (connected.some((c) => c.failed)) throw new Error(`sockets failed to connect: ${connected.find((c) => c.firstError)?.firstError}`);

  const { socket: writer } = await connectClient(server.url, { debateId: debate.id, token: debate.hostToken });
  let writerSeq = 0;
  writer.on(ServerEvent.change, (c: DebateChange) => (writerSeq = Math.max(writerSeq, c.seq)));

  // Live changes everyone applies, so that lastSeq > 0.
  const live = await write(writer, propositionIds, LIVE_CHANGES, "Live", false);
  if (live.failures.length) throw new Error(`live posts failed: ${live.failures[0]}`);
  const liveSeq = (await getDebate(server.url, debate.id)).seq;
  const inSync = await waitUntil(async () => (await pool.all<{ min: number }>("seqs")).every((s) => s.min >= liveSeq), 20_000);
  if (!inSync) throw new Error(`clients did not reach seq ${liveSeq} from live changes (server sends debate:change?)`);

  await pool.all("disconnect");
  await pool.all("save");
  await waitUntil(async () => (await server.metrics()).connectedSockets <= 1, 10_000);
  const writeStart = nowMs();
  const missed = await write(writer, propositionIds, CHANGES, "Missed", true);
  const writeSeconds = (nowMs() - writeStart) / 1000;
  if (missed.failures.length) console.log(`${missed.failures.length} changes failed, first: ${missed.failures[0]}`);
  const targetSeq = (await getDebate(server.url, debate.id)).seq;
  writer.close();

  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const stored = (await db.query<{ id: string; propositionId: string }>(`SELECT id, "propositionId"::text AS "propositionId" FROM "Argument" WHERE "debateId" = $1`, [debate.id])).rows;
  await db.end();
  const ids = stored.map((r) => r.id);
  const heldSet = new Set(heldIds);
  const heldArgumentIds = stored.filter((r) => heldSet.has(r.propositionId)).map((r) => r.id);
  const counts = await storedCounts(database.url, debate.id, propositionIds);
  const onHeld = heldIds.reduce((n, id) => n + (missed.perProposition.get(id) ?? 0), 0);

  console.log(`\ndebate: ${propositionIds.length} propositions; writer: ${CHANGES} changes in ${writeSeconds.toFixed(1)} s (${(CHANGES / writeSeconds).toFixed(0)}/s, ${IN_FLIGHT} in flight); server seq ${liveSeq} → ${targetSeq}; ${ids.length} arguments stored`);
  console.log(`change mix: ${missed.mix.posts} posts (${missed.mix.rebuttals} rebuttals), ${missed.mix.edits} edits, ${missed.mix.deletions} deletions, spread evenly over the ${propositionIds.length} propositions; ${onHeld} of the changes (${((100 * onHeld) / CHANGES).toFixed(0)} %) on the ${heldIds.length} propositions the clients hold`);

  /** All clients reconnect at once from the saved point (holding `holds`, or everything); reports and checks. */
  const scenario = async (label: string, holds: { propositions: string[]; arguments: string[] } | undefined) => {
    await pool.all("restore");
    console.log(`\n--- ${label} ---`);
    console.log(`load average before the reconnect: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    const sampler = await sampleActivity(database.url, database.name);
    const cpu = meterCpu(server.pid, pool.workers.map((w) => w.child.pid!));
    const t0 = nowMs();
    const replies = await pool.all<Reconnected>("reconnect", () => ({ url: server.url, debateId: debate.id, targetSeq, timeoutMs: 120_000, holds }), 180_000);
    const cpuUsed = cpu.stop();
    const activity = await sampler.stop();
    const synced = replies.flatMap((r) => r.syncedAt);
    const times = synced.filter((t): t is number => t !== null).map((t) => t - t0);
    const notSynced = synced.length - times.length;
    const modes = replies.flatMap((r) => r.modes).reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});
    const lastSeqs = replies.flatMap((r) => r.lastSeqs);
    const checks = await pool.all<Checked>("verify", () => (holds ? { expectedIds: heldArgumentIds, held: holds.propositions, storedCounts: counts } : { expectedIds: ids }));
    await pool.all("disconnect");
    await waitUntil(async () => (await server.metrics()).connectedSockets <= 0, 10_000);
    const total = checks.reduce((a, c) => ({ clients: a.clients + c.clients, exact: a.exact + c.exact, missing: a.missing + c.missing, duplicates: a.duplicates + c.duplicates, extra: a.extra + c.extra, outOfOrder: a.outOfOrder + c.outOfOrder, stuck: a.stuck + c.stuck, outOfOrderSamples: [...a.outOfOrderSamples, ...c.outOfOrderSamples], unheldSent: a.unheldSent + c.unheldSent, countsWrong: a.countsWrong + c.countsWrong }));
    const summary = summarize(times);
    console.log(`clients' lastSeq at reconnect: ${Math.min(...lastSeqs)}…${Math.max(...lastSeqs)}; catch-up mode: ${Object.entries(modes).map(([k, v]) => `${k} ×${v}`).join(", ")}; one catch-up payload: ${kib(Math.max(...replies.map((r) => r.catchUpBytes)))}`);
    console.log(`all ${CLIENTS} in sync (seq = ${targetSeq}) after ${ms(summary.max)}${notSynced ? ` — ${notSynced} NOT in sync after 120 s` : ""}`);
    console.log(`per client, reconnect → in sync: ${describeLatency(summary)}`);
    console.log(`CPU during the reconnect: ${describeCpu(cpuUsed)}`);
    console.log(`the server's database connections during the reconnect (pg_stat_activity, average per sample, ${activity.samples} samples):\n${formatActivity(activity)}`);
    const what = holds ? `the ${heldArgumentIds.length} stored argument ids of the ${holds.propositions.length} held propositions` : `the ${ids.length} stored argument ids`;
    console.log(`check against ${what}: ${total.exact}/${total.clients} clients exact; missing ${total.missing}, delivered twice ${total.duplicates}, unknown ${total.extra}, changes still waiting behind a gap ${total.stuck}`);
    if (holds) console.log(`arguments of propositions not held sent in the catch-ups: ${total.unheldSent}; clients whose counts differ from the stored ones (${propositionIds.length} propositions): ${total.countsWrong}`);
    console.log(`live changes that arrived out of sequence order (buffered until the gap filled, as the browser does): ${total.outOfOrder}${total.outOfOrder ? ` (e.g. ${total.outOfOrderSamples.slice(0, 2).join("; ")})` : ""}`);
    const exact = total.exact === CLIENTS && total.stuck === 0 && notSynced === 0 && total.unheldSent === 0 && total.countsWrong === 0 && replies.every((r) => !r.failed);
    console.log(`catch-up complete and exact: ${verdict(exact)}`);
    // A speed verdict, on its own line (bench:smoke fails only on correctness verdicts).
    console.log(`${CLIENTS} back in sync in ≤ 2 s (issue 14): ${verdict(notSynced === 0 && summary.max <= 2000)}`);
    if (replies.some((r) => r.failed)) console.log(`reconnect failures: ${replies.reduce((n, r) => n + r.failed, 0)}, first: ${replies.find((r) => r.firstError)?.firstError}`);
    return exact;
  };

  // Held parts first, with the range not yet read; holding everything then finds it cached (favouring the old figure).
  const exactHeld = await scenario(`1. holding the arguments of the first ${heldIds.length} propositions (a big debate's page; counts for the others)`, { propositions: heldIds, arguments: [] });
  const exactFull = FULL ? await scenario("2. holding every argument (every change sent, as before the counts)", undefined) : true;
  await pool.all("close");
  await pool.stop();
  await server.stop();
  console.log(`\ncatch-up complete and exact (all scenarios): ${verdict(exactHeld && exactFull)}`);
});
