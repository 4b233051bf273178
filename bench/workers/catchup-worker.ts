/**
 * bench:catchup client worker: a share of the participants, each keeping the
 * state a real client keeps across reconnects — the last change number it has
 * applied (`seq`) — and, for the check, how many times each argument id was
 * delivered to it (live `debate:change`, or inside a `debate:catchup`).
 * Requests: connect (first time, no lastSeq), disconnect (sockets closed, state
 * kept), reconnect (all at once, with `auth.lastSeq`; resolves when every
 * client has reached targetSeq), verify (against the stored argument ids).
 */
import type { CatchUpPayload, DebateChange, WelcomePayload } from "../../app/shared/contract";
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
function applyChange(c: Client, change: DebateChange) {
  const count = (ch: DebateChange) => {
    if (ch.kind === "argument.created") c.deliveries.set(ch.data.id, (c.deliveries.get(ch.data.id) ?? 0) + 1);
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
    if (payload.mode === "changes") {
      for (const change of payload.changes) applyChange(c, change);
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

serveRequests({
  async connect(body: { url: string; debateId: string; tokens: string[] }) {
    const errors = await eachLimited(body.tokens, 10, async (token) => {
      const c: Client = { token, socket: null, seq: 0, deliveries: new Map(), pending: new Map(), outOfOrder: 0, syncedAt: null, modes: [], catchUpBytes: 0 };
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
  /** Reconnects every client at once with its lastSeq; resolves when all reached targetSeq (or after timeoutMs). */
  async reconnect(body: { url: string; debateId: string; targetSeq: number; timeoutMs: number }) {
    target = body.targetSeq;
    lastCatchUp = null;
    const lastSeqs = clients.map((c) => c.seq);
    const errors = await eachLimited(clients, clients.length, async (c) => {
      c.syncedAt = null;
      const { socket } = await connectClient(body.url, { debateId: body.debateId, token: c.token, lastSeq: c.seq, beforeConnect: (s) => listen(c, s, () => target), timeoutMs: body.timeoutMs });
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
  verify(body: { expectedIds: string[] }) {
    const expected = new Set(body.expectedIds);
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
        if (!expected.has(id)) x++;
        if (n > 1) d += n - 1;
      }
      missing += m;
      duplicates += d;
      extra += x;
      outOfOrder += c.outOfOrder;
      stuck += c.pending.size;
      if (m === 0 && d === 0 && x === 0) exact++;
    }
    return { clients: clients.length, exact, missing, duplicates, extra, outOfOrder, stuck, outOfOrderSamples };
  },
  close() {
    for (const c of clients) c.socket?.close();
    clients.length = 0;
    return { closed: true };
  },
});
