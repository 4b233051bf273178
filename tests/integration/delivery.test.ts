/**
 * Delivery guarantees (docs/decisions/0006-delivery-guarantees.md), against a
 * real PostgreSQL and a real server:
 * [D] an operation id is applied at most once; [C] a client that was away
 * receives what it missed, in order; [T] tallies converge.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type ArgumentDTO, type CatchUpPayload, ServerEvent, type VoteTalliedPayload } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { useTestServer } from "../support/test-server";
import { TALLY_BROADCAST_INTERVAL_MS } from "../../server/realtime/socket";
import { publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { emitWithAck, nextEvent } from "../support/socket-client";

const { server, connect } = useTestServer({ serveApp: false, rateLimits: "off" });

const argumentPayload = (propositionId: string, text: string, opId = randomUUID()) => ({ opId, propositionId, stance: "pro", body: plainTextToArgumentBody(text) });

describe("[D] operation ids", () => {
  it("[D1] an operation sent twice is stored once and answered with the original result", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada"]);
    const { socket } = await connect(debate.id, participants[0]!.token);
    const payload = argumentPayload(debate.propositions[0]!.id, "Sent twice.");
    const first = await emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, payload);
    const second = await emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, payload);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.data.id).toBe(first.data.id);
    expect(await server.db.argument.count({ where: { debateId: debate.id } })).toBe(1);
    expect(await server.db.operation.count({ where: { opId: payload.opId } })).toBe(1);
  });

  it("[D2] ten copies sent in parallel store one change and all get the same answer", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada"]);
    const { socket } = await connect(debate.id, participants[0]!.token);
    const payload = argumentPayload(debate.propositions[0]!.id, "Sent in parallel.");
    const replies = await Promise.all(Array.from({ length: 10 }, () => emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, payload)));
    const ids = new Set(replies.map((r) => (r.ok ? r.data.id : `error:${r.error.message}`)));
    expect(ids.size).toBe(1);
    expect([...ids][0]).not.toMatch(/^error/);
    expect(await server.db.argument.count({ where: { debateId: debate.id } })).toBe(1);
    const debateRow = await server.db.debate.findUniqueOrThrow({ where: { id: debate.id } });
    expect(debateRow.lastSeq).toBe(1);
  });

  it("[D3] an operation resent after a reconnect is not applied again, votes included", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada", "Ben"]);
    const first = await connect(debate.id, participants[0]!.token);
    const post = argumentPayload(debate.propositions[0]!.id, "Resent after reconnect.");
    const vote = { opId: randomUUID(), propositionId: debate.propositions[0]!.id, value: "agree" };
    first.socket.emit(ClientEvent.postArgument, post, () => undefined);
    first.socket.emit(ClientEvent.castVote, vote, () => undefined);
    first.socket.disconnect(); // the acknowledgements may never arrive
    const again = await connect(debate.id, participants[0]!.token);
    const [postReply, voteReply] = await Promise.all([
      emitWithAck<ArgumentDTO>(again.socket, ClientEvent.postArgument, post),
      emitWithAck<VoteTalliedPayload>(again.socket, ClientEvent.castVote, vote),
    ]);
    expect(postReply.ok && voteReply.ok).toBe(true);
    expect(await server.db.argument.count({ where: { debateId: debate.id } })).toBe(1);
    expect(voteReply.ok && voteReply.data.tally).toEqual({ agree: 1, disagree: 0, unsure: 0, total: 1 });
    const ben = await connect(debate.id, participants[1]!.token);
    const benVote = await emitWithAck<VoteTalliedPayload>(ben.socket, ClientEvent.castVote, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, value: "agree" });
    expect(benVote.ok && benVote.data.tally.agree).toBe(2);
  });

  it("[D4] an operation id cannot be reused by another participant", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada", "Ben"]);
    const ada = await connect(debate.id, participants[0]!.token);
    const ben = await connect(debate.id, participants[1]!.token);
    const payload = argumentPayload(debate.propositions[0]!.id, "Mine.");
    expect((await emitWithAck(ada.socket, ClientEvent.postArgument, payload)).ok).toBe(true);
    const stolen = await emitWithAck(ben.socket, ClientEvent.postArgument, payload);
    expect(stolen.ok).toBe(false);
    if (!stolen.ok) expect(stolen.error.code).toBe("forbidden");
  });
});

describe("[C] catch-up", () => {
  it("[C1] a client that misses 500 changes receives them in order on reconnect, then live changes", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Writer", "Sleeper"]);
    const writer = await connect(debate.id, participants[0]!.token);
    const sleeper = await connect(debate.id, participants[1]!.token);
    const seqBefore = sleeper.welcome.seq;
    sleeper.socket.disconnect();
    const propositionId = debate.propositions[1]!.id;
    const posted: string[] = [];
    for (let i = 0; i < 500; i++) {
      const r = await emitWithAck<ArgumentDTO>(writer.socket, ClientEvent.postArgument, argumentPayload(propositionId, `Change ${i}`));
      if (r.ok) posted.push(r.data.id);
    }
    expect(posted).toHaveLength(500);
    const back = await connect(debate.id, participants[1]!.token, seqBefore);
    const catchUp = await back.catchUp;
    expect(catchUp.mode).toBe("changes");
    if (catchUp.mode !== "changes") return;
    expect(catchUp.changes.map((c) => c.seq)).toEqual(Array.from({ length: 500 }, (_, i) => seqBefore + 1 + i));
    expect(catchUp.changes.map((c) => (c.data as { id: string }).id)).toEqual(posted);
    const live = nextEvent(back.socket, ServerEvent.change);
    await emitWithAck(writer.socket, ClientEvent.postArgument, argumentPayload(propositionId, "After catch-up"));
    expect((await live).seq).toBe(seqBefore + 501);
  });

  it("[C2] a client ahead of the server (or too far behind) gets a snapshot", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada"]);
    const { socket } = await connect(debate.id, participants[0]!.token);
    const reply = await emitWithAck<CatchUpPayload>(socket, ClientEvent.resync, { lastSeq: 10_000 });
    expect(reply.ok && reply.data.mode).toBe("snapshot");
    const bad = await emitWithAck(socket, ClientEvent.resync, { lastSeq: -1 });
    expect(bad.ok).toBe(false);
  });

  it("[C3] resync returns the changes after lastSeq with current tallies and my choices", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada"]);
    const { socket } = await connect(debate.id, participants[0]!.token);
    await emitWithAck(socket, ClientEvent.postArgument, argumentPayload(debate.propositions[0]!.id, "One"));
    await emitWithAck(socket, ClientEvent.postArgument, argumentPayload(debate.propositions[0]!.id, "Two"));
    await emitWithAck(socket, ClientEvent.castVote, { opId: randomUUID(), propositionId: debate.propositions[0]!.id, value: "unsure" });
    const reply = await emitWithAck<CatchUpPayload>(socket, ClientEvent.resync, { lastSeq: 1 });
    expect(reply.ok).toBe(true);
    if (!reply.ok || reply.data.mode !== "changes") throw new Error("expected changes");
    expect(reply.data.changes.map((c) => c.seq)).toEqual([2]);
    expect(reply.data.tallies.propositions.find((t) => t.propositionId === debate.propositions[0]!.id)?.tally.unsure).toBe(1);
    expect(reply.data.mine.votes[debate.propositions[0]!.id]).toBe("unsure");
  });
});

describe("[T] tallies", () => {
  it("[T1] under a burst of votes others receive coalesced tallies that end on the exact count", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `Voter ${i}`);
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Watcher", ...names]);
    const watcher = await connect(debate.id, participants[0]!.token);
    const received: VoteTalliedPayload[] = [];
    watcher.socket.on(ServerEvent.voteTallied, (p) => received.push(p));
    const voters = await Promise.all(participants.slice(1).map((p) => connect(debate.id, p.token)));
    const propositionId = debate.propositions[3]!.id;
    const values = ["agree", "disagree", "unsure"] as const;
    await Promise.all(voters.map((v, i) => emitWithAck(v.socket, ClientEvent.castVote, { opId: randomUUID(), propositionId, value: values[i % 3] })));
    await new Promise((r) => setTimeout(r, TALLY_BROADCAST_INTERVAL_MS * 3));
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(30);
    const latest = received.reduce((a, b) => (b.version > a.version ? b : a));
    expect(latest.tally).toEqual({ agree: 10, disagree: 10, unsure: 10, total: 30 });
    expect(latest.participantId).toBeNull();
  });
});
