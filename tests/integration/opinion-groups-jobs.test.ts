/**
 * Opinion groups recomputed as pg-boss jobs (server/jobs/opinion-groups-queue.ts,
 * docs/decisions/0055-opinion-groups-on-pg-boss.md), with several server processes on one
 * database (here: several servers in this Node process, each with its own pg-boss, pool and
 * compute worker, as separate processes would have):
 *  - a burst of votes on one debate, sent to two servers at once, gives computations of that
 *    debate that never overlap (start and end times recorded by each server's handler), fewer
 *    computations than votes, and a stored result that is current at the end;
 *  - votes while a debate is being computed leave exactly one job waiting, which runs after;
 *  - a job sent just before a server stops is done by the other server, and one sent just before
 *    the last server stops is done by the server started after it (nothing is lost);
 *  - a server whose database is away when it starts still starts, and recomputes once the
 *    database is back.
 */
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startServer, type RunningServer, type StartOptions } from "../../server/app";
import type { OpinionGroupsRun } from "../../server/jobs/opinion-groups-queue";
import { opinionInputKey } from "../../server/services/opinion-groups";
import { api, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { startDatabaseProxy, type DatabaseProxy } from "../support/database-proxy";

type NamedRun = OpinionGroupsRun & { server: string };
const runs: NamedRun[] = [];
const open = new Set<RunningServer>();
const proxies: DatabaseProxy[] = [];
afterAll(async () => {
  await Promise.all([...open].map((s) => s.close()));
  await Promise.all(proxies.map((p) => p.close()));
});

/** A server on this run's database whose opinion-groups runs are recorded under `name`. */
async function serverNamed(name: string, options: Partial<StartOptions> = {}): Promise<RunningServer> {
  const server = await startServer({
    databaseUrl: inject("databaseUrl"),
    port: 0,
    serveApp: false,
    rateLimits: "off",
    opinionGroupsSettleMs: 500,
    onOpinionGroupsRun: (run) => runs.push({ ...run, server: name }),
    ...options,
  });
  open.add(server);
  return server;
}

async function stop(server: RunningServer): Promise<void> {
  open.delete(server);
  await server.close();
}

/** Waits until the stored groups of `debateId` are current and no job of it is waiting or running. */
async function settled(server: RunningServer, debateId: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [snapshot, key, jobs] = await Promise.all([
      server.db.opinionGroupsSnapshot.findUnique({ where: { debateId } }),
      opinionInputKey({ db: server.db } as Parameters<typeof opinionInputKey>[0], debateId),
      server.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'opinion-groups' AND singleton_key = ${debateId} AND state <= 'active'`,
    ]);
    if (snapshot?.result && snapshot.inputKey === key && Number(jobs[0]!.n) === 0) return;
    if (Date.now() > until) throw new Error(`the opinion groups of ${debateId} were not current after ${timeoutMs} ms (stored ${snapshot?.inputKey}, now ${key}, ${jobs[0]!.n} jobs)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Makes each computation of `server` take `ms` longer (as a large debate's would), after it has read the votes. */
function slowDown(server: RunningServer, ms: number): void {
  const compute = server.services.recomputeOpinionGroups;
  server.services.recomputeOpinionGroups = async (debateId) => {
    const outcome = await compute(debateId);
    await new Promise((r) => setTimeout(r, ms));
    return outcome;
  };
}

/** Jobs of `debateId` in pg-boss's table, by state. */
async function jobStates(server: RunningServer, debateId: string): Promise<Record<string, number>> {
  const rows = await server.db.$queryRaw<{ state: string; n: number }[]>`SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name = 'opinion-groups' AND singleton_key = ${debateId} GROUP BY 1`;
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

const vote = (server: RunningServer, debateId: string, propositionId: string, token: string, value: string) =>
  api(server.url, `/api/debates/${debateId}/propositions/${propositionId}/vote`, { method: "PUT", token, body: { value } });

describe("opinion groups as pg-boss jobs, two servers on one database", () => {
  it("a burst of votes on one debate through both servers: computations never overlap, the final result is current", { timeout: 180_000 }, async () => {
    const a = await serverNamed("a");
    const b = await serverNamed("b");
    // Each computation takes 600 ms more than it would (longer than the 500 ms settle, as a large debate's
    // seconds are longer than the 2 s settle): without pg-boss's guard, runs of one debate would overlap.
    slowDown(a, 600);
    slowDown(b, 600);
    const names = ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8"];
    const { debate, participants } = await publishedDebateWith(a.url, seedArticle, names);
    const props = (debate.propositions as { id: string }[]).slice(0, 4);
    let votes = 0;
    // Four waves: every participant votes on every proposition, alternately through server a and b, each wave at once.
    for (let wave = 0; wave < 4; wave++) {
      const answers = await Promise.all(
        participants.flatMap((p, i) =>
          props.map((prop, j) => vote(i % 2 === 0 ? a : b, debate.id, prop.id, p.token, (i + j + wave) % 3 === 0 ? "disagree" : i < 4 ? "agree" : "unsure")),
        ),
      );
      expect(answers.every((r) => r.status === 200)).toBe(true);
      votes += answers.length;
      await new Promise((r) => setTimeout(r, 300));
    }
    await settled(a, debate.id);
    const mine = runs.filter((r) => r.debateId === debate.id).sort((x, y) => x.startedAt - y.startedAt);
    console.log(`burst of ${votes} votes through two servers: ${mine.length} computations (${mine.map((r) => `${r.server}:${r.outcome}`).join(", ")})`);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(votes);
    expect(mine.some((r) => r.outcome === "computed")).toBe(true);
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.startedAt, `run ${i} started before run ${i - 1} ended`).toBeGreaterThanOrEqual(mine[i - 1]!.endedAt);
    const groups = await api(a.url, `/api/debates/${debate.id}/opinion-groups`);
    expect(groups.json.status).not.toBe("pending");
    await stop(a);
    await stop(b);
  });

  it("votes while a debate is being computed give exactly one more computation after it, and none at once", { timeout: 180_000 }, async () => {
    const one = await serverNamed("one");
    slowDown(one, 2_000);
    const { debate, participants } = await publishedDebateWith(one.url, seedArticle, ["S1", "S2", "S3", "S4", "S5", "S6"]);
    const prop = (debate.propositions as { id: string }[])[0]!;
    expect((await vote(one, debate.id, prop.id, participants[0]!.token, "agree")).status).toBe(200);
    const until = Date.now() + 60_000;
    while ((await jobStates(one, debate.id)).active !== 1) {
      expect(Date.now()).toBeLessThan(until);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Five votes while it runs: pg-boss keeps one job waiting for the debate, the other sends are folded into it.
    const answers = await Promise.all(participants.slice(1).map((p) => vote(one, debate.id, prop.id, p.token, "disagree")));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(await jobStates(one, debate.id)).toMatchObject({ active: 1, created: 1 });
    await settled(one, debate.id);
    const mine = runs.filter((r) => r.debateId === debate.id);
    expect(mine.map((r) => r.outcome)).toEqual(["computed", "computed"]);
    expect(mine[1]!.startedAt).toBeGreaterThanOrEqual(mine[0]!.endedAt);
    await stop(one);
  });

  it("a job sent just before a server stops is done by the other one; sent before the last one stops, by the next to start", { timeout: 180_000 }, async () => {
    const stays = await serverNamed("stays");
    // A long settle on the leaving server: its job cannot start before it has gone.
    const leaves = await serverNamed("leaves", { opinionGroupsSettleMs: 3_000 });
    const { debate, participants } = await publishedDebateWith(stays.url, seedArticle, ["Q1", "Q2", "Q3", "Q4"]);
    const prop = (debate.propositions as { id: string }[])[0]!;
    for (const [i, p] of participants.slice(0, 3).entries()) expect((await vote(stays, debate.id, prop.id, p.token, i === 0 ? "agree" : "disagree")).status).toBe(200);
    await settled(stays, debate.id);

    expect((await vote(leaves, debate.id, prop.id, participants[3]!.token, "agree")).status).toBe(200);
    await stop(leaves);
    const leftAt = Date.now();
    await settled(stays, debate.id);
    const after = runs.filter((r) => r.debateId === debate.id && r.startedAt >= leftAt);
    expect(after.map((r) => [r.server, r.outcome])).toContainEqual(["stays", "computed"]);
    expect(runs.filter((r) => r.debateId === debate.id && r.server === "leaves")).toEqual([]);

    // The last server stops with a job waiting; the next one to start does it.
    const last = await serverNamed("last", { opinionGroupsSettleMs: 3_000 });
    await stop(stays);
    expect((await vote(last, debate.id, prop.id, participants[3]!.token, "disagree")).status).toBe(200);
    await stop(last);
    // Read the queue with a plain client: a server started now would fetch the job itself.
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'opinion-groups' AND singleton_key = $1 AND state < 'active'", [debate.id]);
    await client.end();
    const waiting = rows[0].n as number;
    expect(waiting).toBe(1);
    const restarted = await serverNamed("restarted");
    await settled(restarted, debate.id);
    expect(runs.filter((r) => r.debateId === debate.id && r.server === "restarted").map((r) => r.outcome)).toContain("computed");
    expect(runs.filter((r) => r.debateId === debate.id && r.server === "last")).toEqual([]);
    await stop(restarted);
  });

  it("a server whose database is away at start still starts, and recomputes once the database is back", { timeout: 180_000 }, async () => {
    const helper = await serverNamed("helper");
    const { debate, participants } = await publishedDebateWith(helper.url, seedArticle, ["R1", "R2", "R3"]);
    await stop(helper);
    const proxy = await startDatabaseProxy(inject("databaseUrl"));
    proxies.push(proxy);
    proxy.cut();
    const away = await serverNamed("away", { databaseUrl: proxy.databaseUrl, jobQueueRestartMs: 300 });
    expect((await api(away.url, "/healthz")).status).toBe(503);
    proxy.restore();
    const prop = (debate.propositions as { id: string }[])[0]!;
    for (const [i, p] of participants.entries()) {
      // The first writes may still meet the pool's broken connections: `busy` (503) is retried, as clients do.
      for (let attempt = 0; ; attempt++) {
        const res = await vote(away, debate.id, prop.id, p.token, i === 0 ? "agree" : "disagree");
        if (res.status === 200) break;
        expect(res.status).toBe(503);
        expect(attempt).toBeLessThan(50);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await settled(away, debate.id);
    expect(runs.filter((r) => r.debateId === debate.id && r.server === "away").map((r) => r.outcome)).toContain("computed");
    await stop(away);
  });
});
