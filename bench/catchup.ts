/**
 * bench:catchup — reconnecting clients get exactly what they missed.
 *
 * Measured: 200 participants connected (4 worker processes), each tracking the
 * last change number it applied. 20 arguments are posted live (everyone
 * applies them), then all 200 disconnect, keeping their lastSeq. A writer
 * (the host, in this process) posts 2,000 arguments (top-level and rebuttals,
 * 8 in flight). Then all 200 reconnect at once with `auth.lastSeq`; the server
 * answers each with `debate:catchup`. Reported: time from the reconnect until
 * every client's seq equals the server's latest seq (GET /api/debates/:id
 * `seq`), per-client p50/p95/max, the catch-up payload size, and the check:
 * every client holds every argument of the debate (ids from SQL) exactly once
 * — none missing, none delivered twice, no gap in the sequence.
 * Target: catch-up complete and exact.
 * Options (env): CATCHUP_CLIENTS (200), CATCHUP_CHANGES (2000).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { ArgumentDTO, DebateChange } from "../app/shared/contract";
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
const LIVE_CHANGES = 20;
const WORKERS = 4;
const IN_FLIGHT = 8;
/** The server's port; CATCHUP_PORT chooses another (several people benchmarking on one machine). */
const PORT = Number(process.env.CATCHUP_PORT ?? 3541);

/** Posts `count` arguments (every third a rebuttal to an earlier one), `IN_FLIGHT` at a time. */
async function write(writer: BenchSocket, propositionIds: string[], count: number, label: string) {
  const posted: ArgumentDTO[] = [];
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const i = next++;
        const parent = i % 3 === 2 && posted.length ? posted[Math.floor(Math.random() * posted.length)] : null;
        const propositionId = parent?.propositionId ?? propositionIds[i % propositionIds.length];
        const reply = await emitAck<ArgumentDTO>(writer, ClientEvent.postArgument, {
          opId: randomUUID(),
          propositionId,
          parentId: parent?.id ?? null,
          stance: i % 2 ? "con" : "pro",
          body: plainTextToArgumentBody(`${label} argument ${i + 1}: a reason of ordinary length, about two hundred characters, to make the catch-up payload realistic for a real debate's arguments.`),
        }).catch((e: Error) => ({ ok: false as const, error: { code: "timeout", message: e.message } }));
        if (reply.ok) posted.push(reply.data);
        else failures.push(reply.error.message);
      }
    }),
  );
  return { posted, failures };
}

runBenchmark("bench:catchup", 6 * 60_000, async () => {
  header("bench:catchup", `${CLIENTS} participants disconnect, ${CHANGES} arguments are posted, all reconnect with lastSeq; time to be in sync, and exactness.`);
  const database = await createBenchDatabase("catchup");
  const server = await startSteelman(database.url, PORT);
  console.log(`steelman server: ${server.command}  (database ${database.name}, PostgreSQL ${database.version})`);
  const debate = await createDebate(server.url);
  const propositionIds = debate.propositions.map((p) => p.id);
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
  const live = await write(writer, propositionIds, LIVE_CHANGES, "Live");
  if (live.failures.length) throw new Error(`live posts failed: ${live.failures[0]}`);
  const liveSeq = (await getDebate(server.url, debate.id)).seq;
  const inSync = await waitUntil(async () => (await pool.all<{ min: number }>("seqs")).every((s) => s.min >= liveSeq), 20_000);
  if (!inSync) throw new Error(`clients did not reach seq ${liveSeq} from live changes (server sends debate:change?)`);

  await pool.all("disconnect");
  await waitUntil(async () => (await server.metrics()).connectedSockets <= 1, 10_000);
  const writeStart = nowMs();
  const missed = await write(writer, propositionIds, CHANGES, "Missed");
  const writeSeconds = (nowMs() - writeStart) / 1000;
  if (missed.failures.length) console.log(`${missed.failures.length} posts failed, first: ${missed.failures[0]}`);
  const targetSeq = (await getDebate(server.url, debate.id)).seq;
  writer.close();

  const sampler = await sampleActivity(database.url, database.name);
  const cpu = meterCpu(server.pid, pool.workers.map((w) => w.child.pid!));
  const t0 = nowMs();
  const replies = await pool.all<{ failed: number; firstError: string | null; syncedAt: (number | null)[]; lastSeqs: number[]; modes: string[]; catchUpBytes: number }>(
    "reconnect",
    () => ({ url: server.url, debateId: debate.id, targetSeq, timeoutMs: 120_000 }),
    180_000,
  );
  const cpuUsed = cpu.stop();
  const activity = await sampler.stop();
  const synced = replies.flatMap((r) => r.syncedAt);
  const times = synced.filter((t): t is number => t !== null).map((t) => t - t0);
  const notSynced = synced.length - times.length;
  const modes = replies.flatMap((r) => r.modes).reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});
  const lastSeqs = replies.flatMap((r) => r.lastSeqs);

  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const ids = (await db.query<{ id: string }>(`SELECT id FROM "Argument" WHERE "debateId" = $1`, [debate.id])).rows.map((r) => r.id);
  await db.end();
  const checks = await pool.all<{ clients: number; exact: number; missing: number; duplicates: number; extra: number; outOfOrder: number; stuck: number; outOfOrderSamples: string[] }>("verify", () => ({ expectedIds: ids }));
  await pool.all("close");
  await pool.stop();
  await server.stop();

  const total = checks.reduce((a, c) => ({ clients: a.clients + c.clients, exact: a.exact + c.exact, missing: a.missing + c.missing, duplicates: a.duplicates + c.duplicates, extra: a.extra + c.extra, outOfOrder: a.outOfOrder + c.outOfOrder, stuck: a.stuck + c.stuck, outOfOrderSamples: [...a.outOfOrderSamples, ...c.outOfOrderSamples] }));
  const summary = summarize(times);
  console.log(`\nwriter: ${missed.posted.length} arguments in ${writeSeconds.toFixed(1)} s (${(missed.posted.length / writeSeconds).toFixed(0)}/s, ${IN_FLIGHT} in flight); server seq ${liveSeq} → ${targetSeq}; ${ids.length} arguments stored`);
  console.log(`clients' lastSeq at reconnect: ${Math.min(...lastSeqs)}…${Math.max(...lastSeqs)}; catch-up mode: ${Object.entries(modes).map(([k, v]) => `${k} ×${v}`).join(", ")}; one catch-up payload: ${kib(Math.max(...replies.map((r) => r.catchUpBytes)))}`);
  console.log(`\nall ${CLIENTS} in sync (seq = ${targetSeq}) after ${ms(summary.max)}${notSynced ? ` — ${notSynced} NOT in sync after 120 s` : ""}`);
  console.log(`per client, reconnect → in sync: ${describeLatency(summary)}`);
  console.log(`CPU during the reconnect: ${describeCpu(cpuUsed)}`);
  console.log(`the server's database connections during the reconnect (pg_stat_activity, average per sample, ${activity.samples} samples):\n${formatActivity(activity)}`);
  console.log(`\ncheck against the ${ids.length} stored argument ids: ${total.exact}/${total.clients} clients exact; missing ${total.missing}, delivered twice ${total.duplicates}, unknown ${total.extra}, changes still waiting behind a gap ${total.stuck}`);
  console.log(`live changes that arrived out of sequence order (buffered until the gap filled, as the browser does): ${total.outOfOrder}${total.outOfOrder ? ` (e.g. ${total.outOfOrderSamples.slice(0, 2).join("; ")})` : ""}`);
  const exact = total.exact === CLIENTS && total.stuck === 0 && notSynced === 0 && replies.every((r) => !r.failed);
  console.log(`catch-up complete and exact: ${verdict(exact)}`);
  if (replies.some((r) => r.failed)) console.log(`reconnect failures: ${replies.reduce((n, r) => n + r.failed, 0)}, first: ${replies.find((r) => r.firstError)?.firstError}`);
});
