/**
 * Catch-up with counts for the parts a big debate's page has not loaded (issue 14,
 * app/shared/catch-up-holds.ts, docs/decisions/0025-shared-catch-up-and-change-retention.md):
 * [CU1] a client that declares it holds proposition A (and one argument of B, deep-linked) at the
 *       handshake gets A's argument changes in full, each once, the deep-linked argument's changes and
 *       replies, nothing else of B, and B's counts equal to the stored arguments' (a hidden and a
 *       deleted one counted out), as of the range's end; hidden-thread withholding as before;
 * [CU2] a client that declares nothing (its page holds every argument) still gets every change;
 * [CU3] the resync read takes the same declaration; a declaration that is not ids, or too long, is refused.
 */
import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { type CatchUpPayload, type CurrentParticipant, type DebateChange, HOLDS_MAX_PROPOSITIONS, ServerEvent } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { useTestServer } from "../support/test-server";
import { publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { emitWithAck, type TestSocket } from "../support/socket-client";

const { server, sockets, connect } = useTestServer({ serveApp: false, rateLimits: "off" });

/** Connects with `auth.lastSeq` and `auth.holds` as the browser does, and resolves with the catch-up. */
async function catchUpWith(debateId: string, token: string, lastSeq: number, holds?: { propositions: string[]; arguments: string[] }): Promise<CatchUpPayload> {
  const socket: TestSocket = io(server.url, { auth: { debateId, token, lastSeq, ...(holds ? { holds } : {}) }, transports: ["websocket"], forceNew: true, reconnection: false });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once(ServerEvent.catchUp, resolve);
    socket.once("connect_error", reject);
  });
}

const argumentIds = (changes: DebateChange[], kind: DebateChange["kind"]) => changes.flatMap((c) => (c.kind === kind && (kind === "argument.created" || kind === "argument.updated") ? [(c.data as { id: string }).id] : []));

async function setUp() {
  const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada", "Ben"]);
  const [a, b] = debate.propositions.map((p) => p.id) as [string, string];
  const host = (await server.services.findParticipant(debate.id, debate.hostToken)) as CurrentParticipant;
  const ada = (await server.services.findParticipant(debate.id, participants[0]!.token)) as CurrentParticipant;
  const post = async (propositionId: string, text: string, parentId: string | null = null, stance: "pro" | "con" = "pro") =>
    (await server.services.postArgument(ada, { opId: randomUUID(), propositionId, parentId, stance, body: plainTextToArgumentBody(text), sources: [] })).id;
  const b1 = await post(b, "Read through a deep link");
  const from = (await server.db.debate.findUniqueOrThrow({ where: { id: debate.id }, select: { lastSeq: true } })).lastSeq;
  // While the readers are away: A gets two arguments, one hidden (its words withheld from Ben); B gets four,
  // one deleted and one hidden, a reply to a B argument, a reply to b1 and an edit of b1.
  const a1 = await post(a, "First on A");
  const a2 = await post(a, "Zebracorn on A", null, "con");
  const bIds = [await post(b, "First on B"), await post(b, "Deleted on B"), await post(b, "Hidden on B", null, "con"), await post(b, "Kept on B", null, "con")];
  const bReply = await post(b, "A reply on B", bIds[0]!);
  const b1Reply = await post(b, "A reply to b1", b1, "con");
  await server.services.deleteArgument(ada, { opId: randomUUID(), argumentId: bIds[1]! });
  await server.services.hideArgument(host, { opId: randomUUID(), argumentId: bIds[2]!, reason: "Off topic" });
  await server.services.hideArgument(host, { opId: randomUUID(), argumentId: a2, reason: "Off topic" });
  await server.services.editArgument(ada, { opId: randomUUID(), argumentId: b1, body: plainTextToArgumentBody("Read through a deep link, edited") });
  const to = (await server.db.debate.findUniqueOrThrow({ where: { id: debate.id }, select: { lastSeq: true } })).lastSeq;
  return { debate, ben: participants[1]!, a, b, from, to, a1, a2, b1, b1Reply, bIds, bReply };
}

describe("catch-up with counts for the parts not loaded", () => {
  it("[CU1] a client holding A gets A's changes in full and B's counts", async () => {
    const s = await setUp();
    const p = await catchUpWith(s.debate.id, s.ben.token, s.from, { propositions: [s.a], arguments: [s.b1] });
    expect(p.mode).toBe("changes");
    if (p.mode !== "changes") return;
    expect(p.fromSeq).toBe(s.from);
    expect(p.toSeq).toBe(s.to);
    expect(p.held).toEqual({ propositions: [s.a], arguments: [s.b1] });
    const created = argumentIds(p.changes, "argument.created");
    expect(created.sort()).toEqual([s.a1, s.a2, s.b1Reply].sort());
    expect(new Set(created).size).toBe(created.length);
    expect(argumentIds(p.changes, "argument.updated")).toEqual([s.b1]);
    const argumentChanges = JSON.stringify(p.changes.filter((c) => c.kind === "argument.created" || c.kind === "argument.updated"));
    for (const id of [...s.bIds, s.bReply]) expect(argumentChanges).not.toContain(id);
    // The hides are there (small, and they change what the held parts show); A's hidden words are not.
    expect(p.changes.filter((c) => c.kind === "argument.hidden")).toHaveLength(2);
    expect(JSON.stringify(p)).not.toContain("Zebracorn");
    // B: top-level b1, First, Deleted (out), Hidden (out), Kept; all: six posted, one deleted.
    expect(p.counts?.[s.b]).toEqual({ pro: 2, con: 1, all: 6 });
    expect(p.counts?.[s.a]).toEqual({ pro: 1, con: 0, all: 2 });
    const stored = await server.db.argument.count({ where: { debateId: s.debate.id, propositionId: s.b, deletedAt: null } });
    expect(p.counts?.[s.b]?.all).toBe(stored);
  });

  it("[CU2] a client declaring nothing gets every change", async () => {
    const s = await setUp();
    const p = await catchUpWith(s.debate.id, s.ben.token, s.from);
    expect(p.mode === "changes" && p.held === undefined && p.counts === undefined).toBe(true);
    if (p.mode !== "changes") return;
    expect(p.toSeq).toBe(s.to);
    expect(p.changes.map((c) => c.seq)).toEqual(Array.from({ length: s.to - s.from }, (_, i) => s.from + 1 + i));
    expect(argumentIds(p.changes, "argument.created").sort()).toEqual([s.a1, s.a2, ...s.bIds, s.bReply, s.b1Reply].sort());
  });

  it("[CU3] the resync read takes the declaration too, and refuses a bad one", async () => {
    const s = await setUp();
    const { socket } = await connect(s.debate.id, s.ben.token);
    const reply = await emitWithAck<CatchUpPayload>(socket, ClientEvent.resync, { lastSeq: s.from, holds: { propositions: [s.b], arguments: [] } });
    expect(reply.ok).toBe(true);
    if (!reply.ok || reply.data.mode !== "changes") return;
    expect(argumentIds(reply.data.changes, "argument.created").sort()).toEqual([...s.bIds, s.bReply, s.b1Reply].sort());
    expect(reply.data.counts?.[s.a]).toEqual({ pro: 1, con: 0, all: 2 });
    const notIds = await emitWithAck(socket, ClientEvent.resync, { lastSeq: s.from, holds: { propositions: ["A"], arguments: [] } });
    expect(!notIds.ok && notIds.error.code).toBe("validation_failed");
    const tooMany = await emitWithAck(socket, ClientEvent.resync, { lastSeq: s.from, holds: { propositions: Array.from({ length: HOLDS_MAX_PROPOSITIONS + 1 }, () => randomUUID()), arguments: [] } });
    expect(!tooMany.ok && tooMany.error.code).toBe("validation_failed");
  });
});
