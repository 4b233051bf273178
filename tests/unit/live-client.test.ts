/**
 * DebateLiveClient (app/realtime/live-client.ts) step by step, with a socket
 * the test answers by hand and a virtual clock: what is sent when, and what the
 * snapshot shows. The seeded fuzzing in ./live-client-fuzz.test.ts covers the
 * same rules under random faults. A debate read in parts declares what it holds when it catches up
 * (app/realtime/held-catch-up.ts) and applies the counts for the rest.
 */
import { describe, expect, it } from "vitest";
import { ACK_TIMEOUT_MS, DebateLiveClient, describeConnection, GAP_REPAIR_MS, type LiveSocket, type LiveSocketEvents } from "../../app/realtime/live-client";
import type { Ack, DebateChange } from "../../app/shared/contract";
import { ServerEvent } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { VirtualClock } from "../support/live-sim";
import { argumentFixture, debateFixture } from "../support/dto-fixtures";

const P = "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";
const A = "7f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";

/** A socket whose requests wait in `sent` until the test answers them. */
class HandSocket implements LiveSocket {
  connected = false;
  active = true;
  connects = 0;
  sent: { event: string; payload: Record<string, unknown>; answer(reply: Ack<unknown>): void; fail(): void }[] = [];
  private handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  on<E extends keyof LiveSocketEvents>(event: E, handler: LiveSocketEvents[E]) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler as (...args: unknown[]) => void]);
  }
  emit(event: string, ...args: unknown[]) {
    for (const h of this.handlers.get(event) ?? []) h(...args);
  }
  request(event: string, payload: unknown, _timeoutMs: number, callback: (error: Error | null, reply?: Ack<unknown>) => void) {
    let done = false;
    const once = (error: Error | null, reply?: Ack<unknown>) => {
      if (!done) callback(error, reply);
      done = true;
    };
    this.sent.push({ event, payload: payload as Record<string, unknown>, answer: (reply) => once(null, reply), fail: () => once(new Error("timeout")) });
  }
  connect() {
    this.connects++;
    this.connected = true;
    this.emit("connect");
  }
  disconnect() {
    this.connected = false;
    this.emit("disconnect", "io client disconnect");
  }
}

function setUp() {
  const clock = new VirtualClock();
  const socket = new HandSocket();
  const debate = debateFixture({ propositions: [{ ...debateFixture().propositions[0]!, id: P }] });
  let n = 0;
  const client = new DebateLiveClient(
    { debate, me: { id: "me", displayName: "Me", role: "debater", debateId: debate.id, muted: false }, mine: { votes: {}, ratings: {} } },
    { socket: () => socket, clock, storage: null, newOpId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`, isOffline: () => false, random: () => 0 },
  );
  client.start();
  socket.connect();
  return { clock, socket, client };
}

const tally = (version: number, value: "agree" | "disagree" | null) => ({ propositionId: P, tally: { agree: value === "agree" ? 1 : 0, disagree: value === "disagree" ? 1 : 0, unsure: 0, total: value ? 1 : 0 }, version, participantId: "me", value });

describe("DebateLiveClient", () => {
  it("sends operations on one item one after another and shows the latest choice at once", async () => {
    const { socket, client } = setUp();
    const first = client.actions.castVote({ propositionId: P, value: "agree" });
    void client.actions.castVote({ propositionId: P, value: "disagree" });
    expect(client.getSnapshot().state.myVotes[P]).toBe("disagree");
    expect(client.getSnapshot().unconfirmed.map((o) => client.describe(o))).toEqual([
      { id: "outbox.castVote", values: { value: "agree", proposition: 1 } },
      { id: "outbox.castVote", values: { value: "disagree", proposition: 1 } },
    ]);
    expect(socket.sent.map((s) => s.payload.value)).toEqual(["agree"]);
    socket.sent[0]!.answer({ ok: true, data: tally(1, "agree") });
    expect((await first).ok).toBe(true);
    expect(socket.sent.map((s) => s.payload.value)).toEqual(["agree", "disagree"]);
    socket.sent[1]!.answer({ ok: true, data: tally(2, "disagree") });
    expect(client.getSnapshot().unconfirmed).toEqual([]);
    expect(client.getSnapshot().state.myVotes[P]).toBe("disagree");
    expect(client.getSnapshot().state.propositions[0]!.tallyVersion).toBe(2);
  });

  it("keeps showing the latest pending choice while earlier clicks on the item are acknowledged or broadcast", () => {
    const { socket, client } = setUp();
    void client.actions.castVote({ propositionId: P, value: "agree" });
    void client.actions.castVote({ propositionId: P, value: null });
    void client.actions.castVote({ propositionId: P, value: "agree" });
    expect(client.getSnapshot().state.myVotes[P]).toBe("agree");
    void client.actions.castVote({ propositionId: P, value: null });
    // The server's word on the first click (its ack, then its broadcast) does not press Agree again.
    socket.sent[0]!.answer({ ok: true, data: tally(1, "agree") });
    socket.emit(ServerEvent.voteTallied, tally(1, "agree"));
    expect(client.getSnapshot().state.myVotes[P]).toBeUndefined();
    expect(client.getSnapshot().state.propositions[0]!.tally.agree).toBe(1);
    socket.sent[1]!.answer({ ok: true, data: tally(2, null) });
    socket.sent[2]!.answer({ ok: true, data: tally(3, "agree") });
    expect(client.getSnapshot().state.myVotes[P]).toBeUndefined();
    socket.sent[3]!.answer({ ok: true, data: tally(4, null) });
    expect(client.getSnapshot().unconfirmed).toEqual([]);
    expect(client.getSnapshot().state.myVotes[P]).toBeUndefined();
    expect(client.getSnapshot().state.propositions[0]!.tally.total).toBe(0);
  });

  it("keeps an operation refused as too fast and sends it again, same opId, once the limit allows", () => {
    const { clock, socket, client } = setUp();
    void client.actions.postArgument({ propositionId: P, stance: "pro", body: {}, sources: [] });
    const opId = socket.sent[0]!.payload.opId;
    socket.sent[0]!.answer({ ok: false, error: { code: "rate_limited", message: "Too fast.", retryAfterSeconds: 6 } }); // no jitter here (random: 0)
    clock.advance(4_000); // the retry interval comes before the limit allows
    expect(socket.sent).toHaveLength(1);
    clock.advance(4_000);
    expect(socket.sent).toHaveLength(2);
    expect(socket.sent[1]!.payload.opId).toBe(opId);
    expect(client.getSnapshot().unconfirmed).toHaveLength(1);
  });

  it("resends an unanswered operation with its opId after a timeout and on reconnecting, and answers its promise once", async () => {
    const { clock, socket, client } = setUp();
    let answers = 0;
    void client.actions.deleteArgument({ argumentId: A }).then(() => answers++);
    socket.sent[0]!.fail();
    clock.advance(ACK_TIMEOUT_MS);
    expect(socket.sent).toHaveLength(2);
    socket.emit("disconnect", "transport close");
    expect(client.getSnapshot().state.status).toBe("reconnecting");
    socket.connect();
    expect(socket.sent).toHaveLength(3);
    expect(new Set(socket.sent.map((s) => s.payload.opId)).size).toBe(1);
    const saved = argumentFixture(A, { propositionId: P, deleted: true });
    socket.sent[2]!.answer({ ok: true, data: saved });
    socket.sent[1]!.answer({ ok: true, data: saved });
    await Promise.resolve();
    expect(answers).toBe(1);
    expect(client.getSnapshot().unconfirmed).toEqual([]);
  });

  it("[P3] repairs a gap that lasts GAP_REPAIR_MS with a resync, and not one that fills by itself", () => {
    const { clock, socket, client } = setUp();
    const created = (seq: number, id: string): DebateChange => ({ seq, kind: "argument.created", data: argumentFixture(id, { propositionId: P }) });
    socket.emit(ServerEvent.change, created(12, "b"));
    clock.advance(GAP_REPAIR_MS - 1);
    socket.emit(ServerEvent.change, created(11, "a"));
    clock.advance(GAP_REPAIR_MS);
    expect(socket.sent).toEqual([]);
    socket.emit(ServerEvent.change, created(14, "d"));
    clock.advance(GAP_REPAIR_MS);
    expect(socket.sent.map((s) => [s.event, s.payload])).toEqual([[ClientEvent.resync, { lastSeq: 12 }]]);
    socket.sent[0]!.answer({ ok: true, data: { mode: "changes", fromSeq: 12, toSeq: 14, changes: [created(13, "c"), created(14, "d")], tallies: { propositions: [], arguments: [] }, mine: { votes: {}, ratings: {} } } });
    expect(client.getSnapshot().state.lastSeq).toBe(14);
    expect(Object.keys(client.getSnapshot().state.arguments).sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("says why when the server ends the connection on purpose", () => {
    const { socket, client } = setUp();
    socket.emit(ServerEvent.error, { code: "unauthenticated", message: "A facilitator removed you from this debate." });
    socket.emit("disconnect", "io server disconnect");
    expect(client.getSnapshot().endedBy).toEqual({ message: "A facilitator removed you from this debate." });
  });

  it("names a catalogue message when the server ends the connection without a word", () => {
    const { socket, client } = setUp();
    socket.emit("disconnect", "io server disconnect");
    expect(client.getSnapshot().endedBy).toEqual({ id: "connection.endedByServer" });
  });

  it("asks for its choices again when a vote it showed is refused", () => {
    const { socket, client } = setUp();
    void client.actions.castVote({ propositionId: P, value: "agree" });
    socket.sent[0]!.answer({ ok: false, error: { code: "forbidden", message: "Locked." } });
    expect(socket.sent[1]!.event).toBe(ClientEvent.resync);
    socket.sent[1]!.answer({ ok: true, data: { mode: "changes", fromSeq: 10, toSeq: 10, changes: [], tallies: { propositions: [{ propositionId: P, tally: tally(0, null).tally, version: 0 }], arguments: [] }, mine: { votes: {}, ratings: {} } } });
    expect(client.getSnapshot().state.myVotes).toEqual({});
  });
});

describe("describeConnection", () => {
  it("never calls a closed debate live, but still says what waits", () => {
    expect(describeConnection("live", 0)).toBe("Live");
    expect(describeConnection("live", 0, true)).toBe("Closed");
    expect(describeConnection("offline", 0, true)).toBe("Closed · offline");
    expect(describeConnection("live", 2, true)).toBe("Live · 2 changes not yet confirmed");
    expect(describeConnection("reconnecting", 1)).toBe("Reconnecting… · 1 change waiting");
  });
});

describe("a refused handshake", () => {
  it("connects again after the server's hint when it was busy (socket.io would not retry by itself)", () => {
    const { clock, socket, client } = setUp();
    socket.disconnect();
    socket.active = false;
    const before = socket.connects;
    socket.emit("connect_error", { message: "busy", data: { code: "busy", retryAfterSeconds: 2 } });
    expect(client.getSnapshot().state.status).toBe("reconnecting");
    clock.advance(900); // random() = 0: the wait is 2 s × 0.5 = 1 s
    expect(socket.connects).toBe(before);
    clock.advance(200);
    expect(socket.connects).toBe(before + 1);
    expect(client.getSnapshot().endedBy).toBeNull();
  });
  it("leaves transport failures to socket.io, and says why when refused for good", () => {
    const { clock, socket, client } = setUp();
    socket.disconnect();
    const before = socket.connects;
    socket.emit("connect_error", { message: "xhr poll error" }); // active: socket.io retries itself
    clock.advance(10_000);
    expect(socket.connects).toBe(before);
    socket.active = false;
    socket.emit("connect_error", { message: "This debate was not found.", data: { code: "not_found" } });
    clock.advance(10_000);
    expect(socket.connects).toBe(before);
    expect(client.getSnapshot().endedBy).toEqual({ message: "This debate was not found." });
  });

  it("in a debate read in parts, declares what it holds when catching up and applies the counts for the rest", async () => {
    const clock = new VirtualClock();
    const socket = new HandSocket();
    const Q = "8f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f";
    const base = debateFixture().propositions[0]!;
    const debate = debateFixture({
      propositions: [{ ...base, id: P }, { ...base, id: Q, position: 1 }],
      arguments: [argumentFixture(A, { propositionId: P })],
      frame: { complete: false, counts: { [P]: { pro: 1, con: 0, all: 1 }, [Q]: { pro: 4, con: 0, all: 4 } }, pages: { [P]: { order: "oldest", nextCursor: null } }, replyCounts: { [A]: 0 } },
    });
    const auths: unknown[] = [];
    const client = new DebateLiveClient({ debate, me: null, mine: { votes: {}, ratings: {} } }, { socket: (auth) => ((socket.connect = () => (auths.push(auth()), (socket.connected = true), socket.emit("connect"))), socket), clock, storage: null, isOffline: () => false });
    await import("../../app/realtime/held-catch-up");
    await new Promise((done) => setTimeout(done, 0)); // the client's own import settles
    client.start();
    socket.connect();
    expect(auths).toEqual([{ debateId: "d", lastSeq: 10, holds: { propositions: [P], arguments: [] } }]);
    // 11 (an argument on Q, not held) was left out: 12 is applied, 11 is no gap, Q's count is the server's.
    const created = argumentFixture("b", { propositionId: P, createdAt: "2026-01-01T00:00:12.000Z", updatedAt: "2026-01-01T00:00:12.000Z" });
    socket.emit(ServerEvent.catchUp, { mode: "changes", fromSeq: 10, toSeq: 12, changes: [{ seq: 12, kind: "argument.created", data: created }], tallies: { propositions: [], arguments: [] }, mine: { votes: {}, ratings: {} }, held: { propositions: [P], arguments: [] }, counts: { [P]: { pro: 2, con: 0, all: 2 }, [Q]: { pro: 5, con: 0, all: 5 } } });
    const { state } = client.getSnapshot();
    expect(state.lastSeq).toBe(12);
    expect(state.pending).toEqual({});
    expect(state.arguments.b).toBeDefined();
    expect(state.frame.counts[Q]).toEqual({ pro: 5, con: 0, all: 5 });
    clock.advance(GAP_REPAIR_MS * 2);
    expect(socket.sent.filter((s) => s.event === ClientEvent.resync)).toHaveLength(0);
  });
});
