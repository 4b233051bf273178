/**
 * Load shared by the fan-out benchmarks (bench/fanout.ts, bench/proxy.ts) and the vote counters
 * (bench/votes.ts, bench/proxy.ts): posting on a fixed schedule, counting receipts in the workers,
 * and recounting votes from the Vote table.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { VoteTally } from "../../app/shared/contract";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { ClientEvent } from "../../app/shared/operations";
import { nowMs, sleep } from "./report";
import { emitAck, type BenchSocket } from "./socket";
import type { WorkerPool } from "./workers";

/** Text added to each benchmark post so that it weighs what a real argument does (about 400 characters in all). */
export const FILLER = " Evidence from the benchmark: ".padEnd(370, "lorem ipsum dolor sit amet ");

/** Where steady posts go and what they record: ack times (ms) and failure messages, appended to. */
export interface PostTarget {
  poster: BenchSocket;
  propositionId: string;
  acks: number[];
  failures: string[];
}

/**
 * Posts `count` arguments at `rate` per second through `t.poster` on a fixed schedule (not waiting
 * for acks, so a slow server does not slow the offered load), alternating pro and con; each body
 * carries `bench-run=<run> bench-t=<send time, ms>` for the receivers to time it. Resolves once
 * every post is acknowledged or has failed; `onPayload` sees each payload (e.g. to record its size).
 */
export async function postSteadily(t: PostTarget, run: string, count: number, rate: number, onPayload?: (payload: Record<string, unknown>) => void): Promise<void> {
  const inflight: Promise<void>[] = [];
  const start = nowMs() + 50;
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - nowMs();
    if (wait > 0) await sleep(wait);
    const sent = nowMs();
    const payload = { opId: randomUUID(), propositionId: t.propositionId, stance: i % 2 ? "con" : "pro", body: plainTextToArgumentBody(`bench-run=${run} bench-t=${sent.toFixed(3)}${FILLER}`) };
    onPayload?.(payload);
    inflight.push(
      emitAck(t.poster, ClientEvent.postArgument, payload).then(
        (reply) => {
          if (reply.ok) t.acks.push(nowMs() - sent);
          else t.failures.push(reply.error.message);
        },
        (error: Error) => void t.failures.push(error.message),
      ),
    );
  }
  await Promise.all(inflight);
}

/** How many posts of `run` the workers' receivers have received so far, summed over all workers. */
export const receivedSoFar = async (pool: WorkerPool, run: string): Promise<number> => (await pool.all<number>("received", () => ({ run }))).reduce((a, b) => a + b, 0);

/** A debate's tallies recounted from the Vote table (not the stored counters), keyed by proposition id. */
export async function recountVotes(db: pg.Pool | pg.Client, debateId: string): Promise<Map<string, VoteTally>> {
  const { rows } = await db.query<{ propositionId: string; value: "agree" | "disagree" | "unsure"; n: string }>(
    `SELECT v."propositionId", v.value::text AS value, count(*) AS n FROM "Vote" v JOIN "Proposition" p ON p.id = v."propositionId" WHERE p."debateId" = $1 GROUP BY 1, 2`,
    [debateId],
  );
  const out = new Map<string, VoteTally>();
  for (const r of rows) {
    const t = out.get(r.propositionId) ?? { agree: 0, disagree: 0, unsure: 0, total: 0 };
    t[r.value] += Number(r.n);
    t.total += Number(r.n);
    out.set(r.propositionId, t);
  }
  return out;
}
