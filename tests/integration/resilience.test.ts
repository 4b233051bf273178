/**
 * The server as a real process: killed with SIGKILL under load and started
 * again [R1], and two processes sharing one debate through the PostgreSQL
 * adapter, one of which dies [N1].
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type ArgumentDTO, type CatchUpPayload, type DebateChange, ServerEvent } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { createPrismaClient } from "../../server/db";
import { publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { redisForThisTest } from "../support/redis-server";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { connectParticipant, emitWithAck, nextEvent, type TestSocket } from "../support/socket-client";

const processes: ServerProcess[] = [];
const sockets: TestSocket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await Promise.all(processes.splice(0).map((p) => p.kill("SIGKILL")));
});

const start = async (options: Parameters<typeof startServerProcess>[0]) => {
  const p = await startServerProcess(options);
  processes.push(p);
  return p;
};
const connect = async (url: string, debateId: string, token?: string, lastSeq?: number) => {
  const c = await connectParticipant(url, debateId, token, lastSeq);
  sockets.push(c.socket);
  return c;
};

/** Emits with a short ack timeout; resolves null when no answer came. */
function tryEmit<T>(socket: TestSocket, event: string, payload: unknown, timeoutMs = 2_000): Promise<T | null> {
  return new Promise((resolve) => {
    (socket.timeout(timeoutMs) as unknown as { emit(e: string, p: unknown, cb: (err: Error | null, reply: { ok: boolean; data: T }) => void): void }).emit(event, payload, (err, reply) => resolve(err || !reply?.ok ? null : reply.data));
  });
}

describe("[R1] SIGKILL under load", () => {
  it("keeps every acknowledged change exactly once, and clients resynchronise", async () => {
    const databaseUrl = inject("databaseUrl");
    const node = await start({ databaseUrl });
    const { debate, participants } = await publishedDebateWith(node.url, seedArticle, ["A", "B", "C", "D"]);
    const propositionId = debate.propositions[0]!.id;
    const attempted = new Map<string, { token: string; payload: object }>();
    const acked = new Set<string>();
    const seen = new Map<string, number>(); // argument id -> times received live, per first client
    let lastSeqSeen = 0;

    const clients = await Promise.all(participants.map((p) => connect(node.url, debate.id, p.token)));
    clients[0]!.socket.on(ServerEvent.change, (c: DebateChange) => {
      seen.set((c.data as { id: string }).id, (seen.get((c.data as { id: string }).id) ?? 0) + 1);
      lastSeqSeen = Math.max(lastSeqSeen, c.seq);
    });
    let killed = false;
    const writers = clients.map(async (c, i) => {
      while (!killed) {
        const opId = randomUUID();
        const payload = { opId, propositionId, stance: i % 2 ? "con" : "pro", body: plainTextToArgumentBody(`op ${opId}`) };
        attempted.set(opId, { token: participants[i]!.token, payload });
        const reply = await tryEmit<ArgumentDTO>(c.socket, ClientEvent.postArgument, payload);
        if (reply) acked.add(opId);
        else if (killed) break; // before the kill, a slow answer is only an unacknowledged change, resent below
      }
    });
    // Killed while writing, once more than ten changes were acknowledged (however long that takes here).
    for (const deadline = Date.now() + 30_000; acked.size <= 10 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    killed = true;
    await node.kill("SIGKILL");
    await Promise.all(writers);
    expect(acked.size).toBeGreaterThan(10);

    // Started again: every client resends what it never saw acknowledged, with the same ids.
    const again = await start({ databaseUrl, port: node.port });
    for (const [opId, { token, payload }] of attempted) {
      if (acked.has(opId)) continue;
      const c = await connect(again.url, debate.id, token);
      expect(await tryEmit<ArgumentDTO>(c.socket, ClientEvent.postArgument, payload, 10_000)).not.toBeNull();
      acked.add(opId);
    }

    const db = createPrismaClient(databaseUrl);
    try {
      const stored = await db.argument.findMany({ where: { debateId: debate.id }, select: { id: true, bodyText: true } });
      const opIds = stored.map((a) => a.bodyText.replace(/^op /, ""));
      expect(new Set(opIds).size).toBe(stored.length); // no duplicates
      expect(new Set(opIds)).toEqual(new Set(attempted.keys())); // every attempt exactly once
      const head = await db.debate.findUniqueOrThrow({ where: { id: debate.id } });
      expect(head.lastSeq).toBe(stored.length);

      // The first client comes back with the last number it saw and catches up on the rest.
      const back = await connect(again.url, debate.id, participants[0]!.token, lastSeqSeen);
      const catchUp = (await back.catchUp) as CatchUpPayload;
      expect(catchUp.mode).toBe("changes");
      if (catchUp.mode !== "changes") return;
      for (const c of catchUp.changes) seen.set((c.data as { id: string }).id, (seen.get((c.data as { id: string }).id) ?? 0) + 1);
      expect(new Set(seen.keys())).toEqual(new Set(stored.map((a) => a.id)));
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await db.$disconnect();
    }
  }, 90_000);
});

describe("[N1] two server processes share a debate through an adapter", () => {
  it.each(["postgres", "redis"] as const)("%s: each side sees the other's changes and presence; when one dies its participants reconnect to the other and miss nothing", async (adapter) => {
    const databaseUrl = inject("databaseUrl");
    const redisUrl = adapter === "redis" ? await redisForThisTest() : undefined;
    const [one, two] = await Promise.all([start({ databaseUrl, adapter, redisUrl }), start({ databaseUrl, adapter, redisUrl })]);
    const { debate, participants } = await publishedDebateWith(one.url, seedArticle, ["Ada", "Ben"]);
    const [ada, ben] = participants as [(typeof participants)[0], (typeof participants)[0]];
    const propositionId = debate.propositions[0]!.id;

    const adaOnOne = await connect(one.url, debate.id, ada.token);
    const benPresence = nextEvent(adaOnOne.socket, ServerEvent.presence, (p) => p.participants.some((x) => x.id === ben.id), 10_000);
    const benOnTwo = await connect(two.url, debate.id, ben.token);
    await benPresence; // presence crosses nodes

    const seenByBen = nextEvent(benOnTwo.socket, ServerEvent.change, (c) => c.kind === "argument.created", 10_000);
    const posted = await emitWithAck<ArgumentDTO>(adaOnOne.socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody("From node one.") });
    expect(posted.ok).toBe(true);
    const change = await seenByBen;
    expect(posted.ok && (change.data as { id: string }).id).toBe(posted.ok ? posted.data.id : "");
    const tallyAtAda = nextEvent(adaOnOne.socket, ServerEvent.voteTallied, (t) => t.tally.total === 1, 10_000);
    await emitWithAck(benOnTwo.socket, ClientEvent.castVote, { opId: randomUUID(), propositionId, value: "disagree" });
    expect((await tallyAtAda).tally.disagree).toBe(1);
    const adaLastSeq = change.seq;

    // Node one dies; Ben keeps arguing on node two; Ada reconnects to node two.
    await one.kill("SIGKILL");
    const whileAway: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await emitWithAck<ArgumentDTO>(benOnTwo.socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "con", body: plainTextToArgumentBody(`While Ada was away ${i}`) });
      if (r.ok) whileAway.push(r.data.id);
    }
    const adaOnTwo = await connect(two.url, debate.id, ada.token, adaLastSeq);
    const catchUp = await adaOnTwo.catchUp;
    expect(catchUp.mode === "changes" && catchUp.changes.map((c) => (c.data as { id: string }).id)).toEqual(whileAway);
    const seenByAdaAgain = nextEvent(adaOnTwo.socket, ServerEvent.change, () => true, 10_000);
    await emitWithAck(benOnTwo.socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody("Live again.") });
    expect((await seenByAdaAgain).seq).toBe(adaLastSeq + 4);
  }, 90_000);
});
