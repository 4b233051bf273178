/**
 * Votes and ratings in one SQL statement (docs/decisions/0023-one-statement-votes.md), against a
 * real server and PostgreSQL:
 * [OS1] 200 voters at once (votes changed, cleared and resent with the same opId): the counters,
 *       the API's tallies and the highest-version acknowledgement all equal a recount of the Vote table;
 * [OS2] a proposition locked behind this process's back (as by another node) refuses the next vote,
 *       although its facts were cached as unlocked; nothing is written;
 * [OS3] counters follow every writer of the Vote and Rating tables, also a participant's removal cascading;
 * [OS4] ratings: 50 raters at once end on a recount.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CurrentParticipant, VoteTalliedPayload, VoteTally, VoteValue } from "../../app/shared/contract";
import { ErrorCode, isAppError } from "../../app/shared/errors";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { useTestServer } from "../support/test-server";
import { api, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";

const { server } = useTestServer({ serveApp: false, rateLimits: "off" });

/** Retries `fn` while it answers `busy` (the pool had no connection free in time), as clients do. */
async function retryingBusy<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isAppError(error) || error.code !== ErrorCode.busy || attempt >= 30) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
    }
  }
}

/** A published debate with `count` participants joined through the API, as services see them. */
async function debateWithVoters(count: number) {
  const created = await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(server.url) });
  expect(created.status).toBe(201);
  const debate = created.json as { id: string; hostToken: string; propositions: { id: string }[] };
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, (_, j) => api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: `Voter ${i + j}` } })),
    );
    for (const joined of batch) tokens.push(joined.json.token);
  }
  const voters = (await Promise.all(tokens.map((t) => server.services.findParticipant(debate.id, t)))) as CurrentParticipant[];
  expect(voters.every(Boolean)).toBe(true);
  return { debate, voters };
}

/** Tallies recounted from the Vote table, and the trigger-kept counters, per proposition. */
async function recountAndCounters(debateId: string) {
  const recount = await server.db.$queryRaw<{ id: string; agree: number; disagree: number; unsure: number }[]>`
    SELECT p.id, count(v.*) FILTER (WHERE v.value = 'agree')::int AS agree, count(v.*) FILTER (WHERE v.value = 'disagree')::int AS disagree,
      count(v.*) FILTER (WHERE v.value = 'unsure')::int AS unsure
    FROM "Proposition" p LEFT JOIN "Vote" v ON v."propositionId" = p.id WHERE p."debateId" = ${debateId}::uuid GROUP BY p.id`;
  const counters = await server.db.proposition.findMany({ where: { debateId }, select: { id: true, agreeCount: true, disagreeCount: true, unsureCount: true } });
  const counted = new Map<string, VoteTally>(recount.map((r) => [r.id, { agree: r.agree, disagree: r.disagree, unsure: r.unsure, total: r.agree + r.disagree + r.unsure }]));
  const kept = new Map<string, VoteTally>(counters.map((c) => [c.id, { agree: c.agreeCount, disagree: c.disagreeCount, unsure: c.unsureCount, total: c.agreeCount + c.disagreeCount + c.unsureCount }]));
  return { counted, kept };
}

const VALUES: (VoteValue | null)[] = ["agree", "disagree", "unsure", null];

describe("one-statement votes", () => {
  it("[OS1] 200 concurrent voters end with tallies equal to a recount", async () => {
    const { debate, voters } = await debateWithVoters(200);
    const propositionIds = debate.propositions.slice(0, 3).map((p) => p.id);
    const latest = new Map<string, VoteTalliedPayload>();
    let replays = 0;
    await Promise.all(
      voters.map(async (voter, i) => {
        for (let round = 0; round < 4; round++) {
          const input = { opId: randomUUID(), propositionId: propositionIds[(i + round) % propositionIds.length]!, value: VALUES[(i * 7 + round) % VALUES.length]! };
          const ack = await retryingBusy(() => server.services.castVote(voter, input));
          // The same operation resent (a reconnect): answered with the stored result, applied once.
          if (round === 1) {
            const again = await retryingBusy(() => server.services.castVote(voter, input));
            expect(again).toEqual(ack);
            replays++;
          }
          const seen = latest.get(ack.propositionId);
          if (!seen || ack.version > seen.version) latest.set(ack.propositionId, ack);
        }
      }),
    );
    expect(replays).toBe(200);
    const { counted, kept } = await recountAndCounters(debate.id);
    let votes = 0;
    for (const id of propositionIds) {
      expect(kept.get(id)).toEqual(counted.get(id));
      // The acknowledgement with the highest version carries the final tally.
      expect(latest.get(id)!.tally).toEqual(counted.get(id));
      votes += counted.get(id)!.total;
    }
    expect(votes).toBeGreaterThan(100);
    const { json } = await api(server.url, `/api/debates/${debate.id}`, { token: debate.hostToken });
    for (const p of json.propositions as { id: string; tally: VoteTally }[]) expect(p.tally).toEqual(counted.get(p.id));
    // One operation row per distinct opId (800), none for the replays.
    const ops = await server.db.operation.count({ where: { participantId: { in: voters.map((v) => v.id) } } });
    expect(ops).toBe(800);
  });

  it("[OS2] a lock made behind the cache's back refuses the next vote and writes nothing", async () => {
    const { debate, voters } = await debateWithVoters(1);
    const propositionId = debate.propositions[0]!.id;
    const first = await server.services.castVote(voters[0]!, { opId: randomUUID(), propositionId, value: "agree" });
    expect(first.tally.agree).toBe(1);
    // As another node would: the row changes, this process's cache is not told.
    await server.db.$executeRaw`UPDATE "Proposition" SET "lockedAt" = now() WHERE id = ${propositionId}::uuid`;
    const opId = randomUUID();
    await expect(server.services.castVote(voters[0]!, { opId, propositionId, value: "disagree" })).rejects.toMatchObject({ code: ErrorCode.forbidden });
    expect(await server.db.operation.findUnique({ where: { opId } })).toBeNull();
    const { counted, kept } = await recountAndCounters(debate.id);
    expect(counted.get(propositionId)).toEqual({ agree: 1, disagree: 0, unsure: 0, total: 1 });
    expect(kept.get(propositionId)).toEqual(counted.get(propositionId));
    // Unlocked again (also behind its back): votes go through.
    await server.db.$executeRaw`UPDATE "Proposition" SET "lockedAt" = NULL WHERE id = ${propositionId}::uuid`;
    const after = await server.services.castVote(voters[0]!, { opId: randomUUID(), propositionId, value: "disagree" });
    expect(after.tally).toEqual({ agree: 0, disagree: 1, unsure: 0, total: 1 });
  });

  it("[OS3] counters follow every writer, also a participant removed with their votes and ratings", async () => {
    const { debate, voters } = await debateWithVoters(3);
    const propositionId = debate.propositions[0]!.id;
    for (const v of voters) await server.services.castVote(v, { opId: randomUUID(), propositionId, value: "agree" });
    const posted = await server.services.postArgument(voters[0]!, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody("Counters follow the rows."), sources: [] });
    const argumentId = posted.id;
    for (const v of voters.slice(1)) await server.services.rateArgument(v, { opId: randomUUID(), argumentId, value: "up" });
    const before = await server.db.proposition.findUniqueOrThrow({ where: { id: propositionId }, select: { tallyVersion: true } });
    await server.db.participant.delete({ where: { id: voters[2]!.id } });
    const { counted, kept } = await recountAndCounters(debate.id);
    expect(counted.get(propositionId)).toEqual({ agree: 2, disagree: 0, unsure: 0, total: 2 });
    expect(kept.get(propositionId)).toEqual(counted.get(propositionId));
    const after = await server.db.proposition.findUniqueOrThrow({ where: { id: propositionId }, select: { tallyVersion: true } });
    expect(after.tallyVersion).toBeGreaterThan(before.tallyVersion);
    const arg = await server.db.argument.findUniqueOrThrow({ where: { id: argumentId }, select: { upCount: true, downCount: true } });
    expect(arg).toEqual({ upCount: 1, downCount: 0 });
  });

  it("[OS4] 50 concurrent raters end on a recount", async () => {
    const { debate, voters } = await debateWithVoters(50);
    const propositionId = debate.propositions[0]!.id;
    const posted = await server.services.postArgument(voters[0]!, { opId: randomUUID(), propositionId, stance: "con", body: plainTextToArgumentBody("Rate me."), sources: [] });
    const argumentId = posted.id;
    const acks = await Promise.all(
      voters.flatMap((v, i) => [
        retryingBusy(() => server.services.rateArgument(v, { opId: randomUUID(), argumentId, value: i % 3 === 0 ? "down" : "up" })),
        retryingBusy(() => server.services.rateArgument(v, { opId: randomUUID(), argumentId, value: i % 5 === 0 ? null : i % 2 === 0 ? "up" : "down" })),
      ]),
    );
    const [row] = await server.db.$queryRaw<{ up: number; down: number }[]>`
      SELECT count(*) FILTER (WHERE value = 'up')::int AS up, count(*) FILTER (WHERE value = 'down')::int AS down FROM "Rating" WHERE "argumentId" = ${argumentId}::uuid`;
    const last = acks.reduce((a, b) => (b.version > a.version ? b : a));
    expect(last.tally).toEqual({ up: row!.up, down: row!.down, score: row!.up - row!.down });
    const arg = await server.db.argument.findUniqueOrThrow({ where: { id: argumentId }, select: { upCount: true, downCount: true } });
    expect(arg).toEqual({ upCount: row!.up, downCount: row!.down });
  });
});
