/**
 * bench:catchup client worker: a share of the participants, each keeping the
 * state a real client keeps across reconnects — the last change number it has
 * applied (`seq`) — and, for the check, how many times each argument id was
 * delivered to it (live `debate:change`, or inside a `debate:catchup`).
 * Requests: connect (first time, no lastSeq), disconnect (sockets closed, state
 * kept), save / restore (the state at the disconnection, to reconnect a second
 * time from the same point), reconnect (all at once, with `auth.lastSeq` and, as
 * a big debate's page does, `auth.holds`: the propositions whose arguments it
 * has read; resolves when every client has reached targetSeq), verify (against
 * the stored argument ids; with holds, those of the held propositions, and the
 * counts of the others against the stored ones).
 */
import type { CatchUpPayload, DebateChange, DebateFrameDTO, WelcomePayload } from "../../app/shared/contract";
import type { CatchUpHolds } from "../../app/shared/catch-up-holds";
import { ServerEvent } from "../../app/shared/contract";
import { nowMs, waitUntil } from "../lib/report";
import { connectClient, eachLimited, type BenchSocket } from "../lib/socket";
import { serveRequests } from "../lib/workers";

interface Client {
  token: string;
  socket: BenchSocket | null;
  /** Highest change number applied so far (changes are applied in order). */
  seq: number;
  /** argument id → deliveries */
  deliveries: Map<string, number>;
  /** argument id → deliveries inside a catch-up (the check of what a catch-up for held parts sends). */
  caughtUp: Map<string, number>;
  /** argument id → its proposition (from the changes received). */
  propositionOf: Map<string, string>;
  /** Counts per proposition from the last catch-up for held parts (absolute, as of its toSeq). */
  counts: DebateFrameDTO["counts"] | null;
  /** Changes received ahead of a gap, waiting for the missing ones. */
  pending: Map<number, DebateChange>;
  /** Changes that arrived ahead of an earlier one (broadcasts out of sequence order). */
  outOfOrder: number;
  syncedAt: number | null;
  modes: string[];
  catchUpBytes: number;
}
const clients: Client[] = [];
const outOfOrderSamples: string[] = [];

/**
 * Applies changes in sequence order, as the browser does (app/realtime/live-state.ts):
 * a change ahead of a gap waits in `pending` until the gap is filled. Every
 * delivery of an argument is counted, so a change sent twice shows up.
 */
function applyChange(c: Client, change: DebateChange, inCatchUp = false) {
  const count = (ch: DebateChange) => {
    if (ch.kind !== "argument.created") return;
    c.deliveries.set(ch.data.id, (c.deliveries.get(ch.data.id) ?? 0) + 1);
    c.propositionOf.set(ch.data.id, ch.data.propositionId);
    if (inCatchUp) c.caughtUp.set(ch.data.id, (c.caughtUp.get(ch.data.id) ?? 0) + 1);
  };
  if (change.seq <= c.seq || c.pending.has(change.seq)) {
    count(change); // a repeat
    return;
  }
  if (change.seq !== c.seq + 1) {
    c.outOfOrder++;
    if (outOfOrderSamples.length < 5) outOfOrderSamples.push(`had applied ${c.seq}, received ${change.seq}`);
  }
  c.pending.set(change.seq, change);
  for (let next = c.pending.get(c.seq + 1); next; next = c.pending.get(c.seq + 1)) {
    c.pending.delete(next.seq);
    c.seq = next.seq;
    count(next);
  }
}

function listen(c: Client, socket: BenchSocket, targetSeq: () => number) {
  socket.on(ServerEvent.change, (change: DebateChange) => {
    applyChange(c, change);
    if (c.syncedAt === null && c.seq >= targetSeq()) c.syncedAt = nowMs();
  });
  socket.on(ServerEvent.catchUp, (payload: CatchUpPayload) => {
    c.modes.push(payload.mode);
    if (payload.mode === "changes" && payload.held && payload.toSeq > c.seq) {
      // For held parts (as app/realtime/held-catch-up.ts): its changes, each as the next; toSeq taken as applied;
      // pending changes it covers dropped; the counts of the others as of toSeq.
      for (const seq of [...c.pending.keys()].filter((k) => k <= payload.toSeq)) c.pending.delete(seq);
      for (const change of payload.changes) {
        if (change.seq <= c.seq) continue;
        c.seq = change.seq - 1;
        applyChange(c, change, true);
      }
      c.seq = payload.toSeq;
      c.counts = payload.counts ?? null;
      for (let next = c.pending.get(c.seq + 1); next; next = c.pending.get(c.seq + 1)) applyChange(c, next);
    } else if (payload.mode === "changes") {
      for (const change of payload.changes) applyChange(c, change, true);
    } else {
      c.deliveries = new Map(payload.debate.arguments.map((a) => [a.id, 1]));
      c.seq = payload.debate.seq;
      for (const seq of [...c.pending.keys()].filter((k) => k <= c.seq)) c.pending.delete(seq);
    }
    if (c.syncedAt === null && c.seq >= targetSeq()) c.syncedAt = nowMs();
    if (!c.catchUpBytes) c.catchUpBytes = -1; // measured after the run (keeps the timed path cheap)
    lastCatchUp = payload;
  });
}
let lastCatchUp: CatchUpPayload | null = null;
let target = Infinity;
/** Each client's state at the disconnection (save / restore). */
let saved: { seq: number; deliveries: Map<string, number>; propositionOf: Map<string, string> }[] = [];

serveRequests({
  async connect(body: { url: string; debateId: string; tokens: string[] }) {
    const errors = await eachLimited(body.tokens, 10, async (token) => {
      const c: Client = { token, socket: null, seq: 0, deliveries: new Map(), caughtUp: new Map(), propositionOf: new Map(), counts: null, pending: new Map(), outOfOrder: 0, syncedAt: null, modes: [], catchUpBytes: 0 };
      const { socket, welcome } = await connectClient(body.url, { debateId: body.debateId, token, beforeConnect: (s) => listen(c, s, () => target) });
      c.seq = Math.max(c.seq, (welcome as WelcomePayload).seq ?? 0); // a fresh client starts from its snapshot's seq
      c.socket = socket;
      clients.push(c);
    });
    return { connected: clients.length, failed: errors.length, firstError: errors[0] ?? null };
  },
  seqs() {
    return { min: Math.min(...clients.map((c) => c.seq)), max: Math.max(...clients.map((c) => c.seq)) };
  },
  disconnect() {
    for (const c of clients) {
      c.socket?.close();
      c.socket = null;
    }
    return { disconnected: clients.length };
  },
  save() {
    saved = clients.map((c) => ({ seq: c.seq, deliveries: new Map(c.deliveries), propositionOf: new Map(c.propositionOf) }));
    return { saved: saved.length };
  },
  restore() {
    clients.forEach((c, i) => Object.assign(c, { ...saved[i]!, deliveries: new Map(saved[i]!.deliveries), propositionOf: new Map(saved[i]!.propositionOf), caughtUp: new Map(), counts: null, pending: new Map(), outOfOrder: 0, modes: [] }));
    return { restored: clients.length };
  },
  /** Reconnects every client at once with its lastSeq (and `holds`); resolves when all reached targetSeq (or after timeoutMs). */
  async reconnect(body: { url: string; debateId: string; targetSeq: number; timeoutMs: number; holds?: CatchUpHolds }) {
    target = body.targetSeq;
    lastCatchUp = null;
    const lastSeqs = clients.map((c) => c.seq);
    const errors = await eachLimited(clients, clients.length, async (c) => {
      c.syncedAt = null;
      const { socket } = await connectClient(body.url, { debateId: body.debateId, token: c.token, lastSeq: c.seq, holds: body.holds, beforeConnect: (s) => listen(c, s, () => target), timeoutMs: body.timeoutMs });
      c.socket = socket;
    });
    await waitUntil(() => clients.every((c) => c.syncedAt !== null), body.timeoutMs, 20);
    const catchUpBytes = lastCatchUp ? JSON.stringify(lastCatchUp).length : 0;
    return {
      failed: errors.length,
      firstError: errors[0] ?? null,
      syncedAt: clients.map((c) => c.syncedAt),
      lastSeqs,
      modes: clients.map((c) => c.modes.at(-1) ?? "none"),
      catchUpBytes,
    };
  },
  /**
   * With `held` (the propositions declared): the expected ids are those of the held propositions, and
   * the check adds arguments of other propositions sent inside the catch-up (none expected) and the
   * counts against `storedCounts`.
   */
  verify(body: { expectedIds: string[]; held?: string[]; storedCounts?: DebateFrameDTO["counts"] }) {
    const expected = new Set(body.expectedIds);
    const held = body.held ? new Set(body.held) : null;
    let unheldSent = 0;
    let countsWrong = 0;
    let exact = 0;
    let missing = 0;
    let duplicates = 0;
    let extra = 0;
    let outOfOrder = 0;
    let stuck = 0;
    for (const c of clients) {
      let m = 0;
      let d = 0;
      let x = 0;
      for (const id of expected) if (!c.deliveries.has(id)) m++;
      for (const [id, n] of c.deliveries) {
        // Held parts: arguments of the other propositions came live before the disconnection (kept, not checked).
        if (held && !held.has(c.propositionOf.get(id) ?? "")) continue;
        if (!expected.has(id)) x++;
        if (n > 1) d += n - 1;
      }
      if (held) {
        for (const id of c.caughtUp.keys()) if (!held.has(c.propositionOf.get(id) ?? "")) unheldSent++;
        const stored = body.storedCounts ?? {};
        const ids = new Set([...Object.keys(stored), ...Object.keys(c.counts ?? {})]);
        const zero = { pro: 0, con: 0, all: 0 };
        if (!c.counts || [...ids].some((id) => JSON.stringify(c.counts![id] ?? zero) !== JSON.stringify(stored[id] ?? zero))) countsWrong++;
      }
      missing += m;
      duplicates += d;
      extra += x;
      outOfOrder += c.outOfOrder;
      stuck += c.pending.size;
      if (m === 0 && d === 0 && x === 0) exact++;
    }
    return { clients: clients.length, exact, missing, duplicates, extra, outOfOrder, stuck, outOfOrderSamples, unheldSent, countsWrong };
  },
  close() {
    for (const c of clients) c.socket?.close();
    clients.length = 0;
    return { closed: true };
  },
});
