/**
 * bench:fanout (and bench:memory) client worker: holds a share of the
 * participants' sockets, in named groups (one group per server under test).
 * Each socket listens for `debate:change` (kind "argument.created") and
 * records, per run label, the delay from the post's send time (carried in the
 * argument's text as `bench-run=<label> bench-t=<ms>`) to its receipt here.
 * Requests: connect, stats, received, collect, close (see bench/fanout.ts).
 */
import type { DebateChange } from "../../app/shared/contract";
import { ServerEvent } from "../../app/shared/contract";
import { nowMs } from "../lib/report";
import { connectClient, eachLimited, type BenchSocket } from "../lib/socket";
import { serveRequests } from "../lib/workers";

const MARK = /bench-run=(\w+) bench-t=(\d+\.\d+)/;
/** group → its sockets (index = client number within the group) */
const groups = new Map<string, BenchSocket[]>();

interface Run {
  latencies: number[];
  /** send time of the post each latency belongs to (same index) */
  sendTimes: number[];
  /** receipts per client of the group */
  perClient: Map<number, number>;
}
const runs = new Map<string, Run>();
let lastPresenceAt = 0;
let legacyEvents = 0;

function onChange(clientIndex: number, change: DebateChange) {
  const received = nowMs();
  if (change?.kind !== "argument.created") return;
  const m = MARK.exec(change.data.bodyText);
  if (!m) return;
  let run = runs.get(m[1]);
  if (!run) runs.set(m[1], (run = { latencies: [], sendTimes: [], perClient: new Map() }));
  run.latencies.push(received - Number(m[2]));
  run.sendTimes.push(Number(m[2]));
  run.perClient.set(clientIndex, (run.perClient.get(clientIndex) ?? 0) + 1);
}

serveRequests({
  /** Connects one socket per token into `group` (observers for empty tokens), `concurrency` handshakes at a time. */
  async connect(body: { group?: string; url: string; debateId: string; tokens: string[]; concurrency?: number }) {
    const started = nowMs();
    const sockets = groups.get(body.group ?? "default") ?? [];
    groups.set(body.group ?? "default", sockets);
    const offset = sockets.length;
    const errors = await eachLimited(body.tokens, body.concurrency ?? 10, async (token, i) => {
      const index = offset + i;
      const { socket } = await connectClient(body.url, {
        debateId: body.debateId,
        token: token || undefined,
        beforeConnect(s) {
          s.on(ServerEvent.change, (c: DebateChange) => onChange(index, c));
          s.on(ServerEvent.presence, () => (lastPresenceAt = Date.now()));
          s.on("argument:created", () => legacyEvents++);
        },
      });
      sockets[index] = socket;
    });
    return { connected: sockets.filter(Boolean).length, failed: errors.length, firstError: errors[0] ?? null, ms: nowMs() - started };
  },
  stats() {
    return { msSinceLastPresence: lastPresenceAt ? Date.now() - lastPresenceAt : null, legacyEvents, connected: [...groups.values()].flat().filter((s) => s?.connected).length };
  },
  /** Receipts so far of one run label. */
  received(body: { run: string }) {
    return runs.get(body.run)?.latencies.length ?? 0;
  },
  /** Returns and forgets one run's latencies, plus the fewest receipts of any client of `group`. */
  collect(body: { run: string; group?: string }) {
    const run = runs.get(body.run) ?? { latencies: [], sendTimes: [], perClient: new Map<number, number>() };
    const sockets = groups.get(body.group ?? "default") ?? [];
    let min = Infinity;
    sockets.forEach((_, i) => (min = Math.min(min, run.perClient.get(i) ?? 0)));
    runs.delete(body.run);
    return { latencies: run.latencies, sendTimes: run.sendTimes, received: run.latencies.length, minPerClient: sockets.length ? min : 0 };
  },
  close() {
    for (const s of [...groups.values()].flat()) s?.close();
    groups.clear();
    runs.clear();
    lastPresenceAt = 0;
    legacyEvents = 0;
    return { closed: true };
  },
});
