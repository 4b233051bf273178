/**
 * The failures people actually hit in voting systems, each made impossible
 * and tested against a real server and PostgreSQL (issue 3):
 * [V1] a vote clicked many times before the first answer arrives;
 * [V2] two tabs of one participant voting differently at the same moment;
 * [V3] a vote changed and the old one still counted;
 * [V4] many participants voting the same item at once;
 * [V5] a count that goes negative.
 * The same rules hold for ratings of arguments ([V6]).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type ArgumentDTO, type RatingTalliedPayload, ServerEvent, type VoteTally, type VoteTalliedPayload, type VoteValue } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { ErrorCode } from "../../app/shared/errors";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { useTestServer } from "../support/test-server";
import { TALLY_BROADCAST_INTERVAL_MS } from "../../server/realtime/socket";
import { api, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { emitWithAck, type TestSocket } from "../support/socket-client";

const { server, connect } = useTestServer({ serveApp: false, rateLimits: "off" });

/** The tally the server reports now for a proposition, read through the API (what a newcomer would load). */
async function storedTally(debateId: string, propositionId: string, token: string): Promise<VoteTally> {
  const { json } = await api(server.url, `/api/debates/${debateId}`, { token });
  return json.propositions.find((p: { id: string }) => p.id === propositionId).tally;
}

/**
 * Casts a vote as the browser's outbox does: a `busy` answer (the database had no connection free in
 * time, docs/decisions/0061-retryable-database-errors.md) is resent with the same opId after a short
 * jittered wait, so only final answers reach the test.
 */
async function vote(socket: TestSocket, propositionId: string, value: VoteValue | null, opId = randomUUID()) {
  for (let attempt = 0; ; attempt++) {
    const answer = await emitWithAck<VoteTalliedPayload>(socket, ClientEvent.castVote, { opId, propositionId, value });
    if (answer.ok || answer.error.code !== ErrorCode.busy || attempt >= 20) return answer;
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
  }
}

const noNegative = (t: VoteTally) => t.agree >= 0 && t.disagree >= 0 && t.unsure >= 0 && t.total === t.agree + t.disagree + t.unsure;

describe("voting failures", () => {
  it("[V1] a vote clicked eight times before the first answer counts once", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada"]);
    const propositionId = debate.propositions[0]!.id;
    const { socket } = await connect(debate.id, participants[0]!.token);
    // Eight distinct clicks (eight operation ids) and one click resent three times (one id).
    const resentId = randomUUID();
    const acks = await Promise.all([
      ...Array.from({ length: 8 }, () => vote(socket, propositionId, "agree")),
      ...Array.from({ length: 3 }, () => vote(socket, propositionId, "agree", resentId)),
    ]);
    expect(acks.every((a) => a.ok)).toBe(true);
    for (const a of acks) if (a.ok) expect(a.data.tally).toEqual({ agree: 1, disagree: 0, unsure: 0, total: 1 });
    expect(await storedTally(debate.id, propositionId, participants[0]!.token)).toEqual({ agree: 1, disagree: 0, unsure: 0, total: 1 });
  });

  it("[V2] two tabs of one participant voting differently end with one vote, and both tabs agree on which", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ben"]);
    const propositionId = debate.propositions[1]!.id;
    const token = participants[0]!.token;
    const [tabA, tabB] = [await connect(debate.id, token), await connect(debate.id, token)];
    const seenA: VoteTalliedPayload[] = [];
    const seenB: VoteTalliedPayload[] = [];
    tabA.socket.on(ServerEvent.voteTallied, (p) => seenA.push(p));
    tabB.socket.on(ServerEvent.voteTallied, (p) => seenB.push(p));

    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([vote(tabA.socket, propositionId, "agree"), vote(tabB.socket, propositionId, "disagree")]);
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      // Whichever committed last (higher version) is the participant's vote; exactly one vote is counted.
      const last = a.data.version > b.data.version ? a.data : b.data;
      expect(last.tally.total).toBe(1);
      expect(last.tally[last.value as VoteValue]).toBe(1);
      expect(await storedTally(debate.id, propositionId, token)).toEqual(last.tally);
    }
    await new Promise((r) => setTimeout(r, TALLY_BROADCAST_INTERVAL_MS * 3));
    // A tab keeps the tally with the highest version it has seen: both end on the same one as the database.
    const newest = (seen: VoteTalliedPayload[]) => seen.filter((p) => p.propositionId === propositionId).reduce((m, p) => (p.version > m.version ? p : m));
    const final = await storedTally(debate.id, propositionId, token);
    expect(newest(seenA).tally).toEqual(final);
    expect(newest(seenB).tally).toEqual(final);
    expect(newest(seenA).version).toBe(newest(seenB).version);
  });

  it("[V3] a changed vote moves from one column to the other and the old one stops counting", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Cleo", "Dev"]);
    const propositionId = debate.propositions[2]!.id;
    const cleo = await connect(debate.id, participants[0]!.token);
    const dev = await connect(debate.id, participants[1]!.token);
    await vote(dev.socket, propositionId, "agree");
    const steps: [VoteValue | null, VoteTally][] = [
      ["agree", { agree: 2, disagree: 0, unsure: 0, total: 2 }],
      ["disagree", { agree: 1, disagree: 1, unsure: 0, total: 2 }],
      ["unsure", { agree: 1, disagree: 0, unsure: 1, total: 2 }],
      ["disagree", { agree: 1, disagree: 1, unsure: 0, total: 2 }],
      [null, { agree: 1, disagree: 0, unsure: 0, total: 1 }],
    ];
    for (const [value, expected] of steps) {
      const ack = await vote(cleo.socket, propositionId, value);
      expect(ack.ok && ack.data.tally).toEqual(expected);
      expect(await storedTally(debate.id, propositionId, participants[0]!.token)).toEqual(expected);
    }
    // The same through the HTTP API: a changed vote, not a second one.
    const viaApi = await api(server.url, `/api/debates/${debate.id}/propositions/${propositionId}/vote`, { method: "PUT", body: { value: "unsure" }, token: participants[1]!.token });
    expect(viaApi.json.tally).toEqual({ agree: 0, disagree: 0, unsure: 1, total: 1 });
  });

  it("[V4] sixty participants voting the same proposition at once are all counted exactly, and the broadcast ends on the stored tally", async () => {
    const names = Array.from({ length: 60 }, (_, i) => `Voter ${i + 1}`);
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Watcher", ...names]);
    const propositionId = debate.propositions[3]!.id;
    const watcher = await connect(debate.id, participants[0]!.token);
    const tallies: VoteTalliedPayload[] = [];
    watcher.socket.on(ServerEvent.voteTallied, (p) => p.propositionId === propositionId && tallies.push(p));
    const voters = await Promise.all(participants.slice(1).map((p) => connect(debate.id, p.token)));
    const values: VoteValue[] = ["agree", "disagree", "unsure"];
    // Each voter votes twice at once (a change of mind mid-flight); the later version is their vote.
    const acks = await Promise.all(voters.map((v, i) => Promise.all([vote(v.socket, propositionId, values[i % 3]!), vote(v.socket, propositionId, values[(i + 1) % 3]!)])));
    const expected = { agree: 0, disagree: 0, unsure: 0, total: 0 };
    for (const [a, b] of acks) {
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect(noNegative(a.data.tally) && noNegative(b.data.tally)).toBe(true);
      const last = a.data.version > b.data.version ? a.data : b.data;
      expected[last.value as VoteValue] += 1;
      expected.total += 1;
    }
    expect(await storedTally(debate.id, propositionId, participants[0]!.token)).toEqual(expected);
    // Versions are unique: every vote change was serialised on the proposition.
    const versions = acks.flat().map((a) => (a.ok ? a.data.version : -1));
    expect(new Set(versions).size).toBe(versions.length);
    await new Promise((r) => setTimeout(r, TALLY_BROADCAST_INTERVAL_MS * 3));
    const newest = tallies.reduce((m, p) => (p.version > m.version ? p : m));
    expect(newest.tally).toEqual(expected);
    expect(newest.version).toBe(Math.max(...versions));
  });

  it("[V5] clearing a vote that was never cast, or clearing one many times at once, never goes below zero", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Eve"]);
    const propositionId = debate.propositions[4]!.id;
    const { socket } = await connect(debate.id, participants[0]!.token);
    const never = await vote(socket, propositionId, null);
    expect(never.ok && never.data.tally).toEqual({ agree: 0, disagree: 0, unsure: 0, total: 0 });
    await vote(socket, propositionId, "disagree");
    const clears = await Promise.all(Array.from({ length: 10 }, () => vote(socket, propositionId, null)));
    for (const c of clears) {
      expect(c.ok).toBe(true);
      if (c.ok) expect(noNegative(c.data.tally)).toBe(true);
    }
    expect(await storedTally(debate.id, propositionId, participants[0]!.token)).toEqual({ agree: 0, disagree: 0, unsure: 0, total: 0 });
    // An unknown value is refused, not counted as anything.
    const bad = await emitWithAck(socket, ClientEvent.castVote, { opId: randomUUID(), propositionId, value: "-1" });
    expect(bad.ok).toBe(false);
    expect(await storedTally(debate.id, propositionId, participants[0]!.token)).toEqual({ agree: 0, disagree: 0, unsure: 0, total: 0 });
  });

  it("[V6] ratings follow the same rules: repeated clicks count once, a changed rating moves, clears never go negative", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Fay", "Gus"]);
    const fay = await connect(debate.id, participants[0]!.token);
    const gus = await connect(debate.id, participants[1]!.token);
    const posted = await emitWithAck<ArgumentDTO>(fay.socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, stance: "pro", body: plainTextToArgumentBody("Rated.") });
    if (!posted.ok) throw new Error(posted.error.message);
    const rate = (value: "up" | "down" | null) => emitWithAck<RatingTalliedPayload>(gus.socket, ClientEvent.rateArgument, { opId: randomUUID(), argumentId: posted.data.id, value });
    const ups = await Promise.all(Array.from({ length: 6 }, () => rate("up")));
    for (const u of ups) expect(u.ok && u.data.tally).toEqual({ up: 1, down: 0, score: 1 });
    const down = await rate("down");
    expect(down.ok && down.data.tally).toEqual({ up: 0, down: 1, score: -1 });
    const clears = await Promise.all(Array.from({ length: 5 }, () => rate(null)));
    for (const c of clears) expect(c.ok && c.data.tally).toEqual({ up: 0, down: 0, score: 0 });
  });
});
