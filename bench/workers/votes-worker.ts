/**
 * bench:votes client worker: holds a share of the voters' sockets. On `run`
 * every socket votes in a closed loop (next vote as soon as the previous ack
 * returns) on a random proposition of the given list with a random value
 * (agree / disagree / unsure), each vote with a fresh opId, until the deadline.
 * Every socket also keeps, per proposition, the tally with the highest version
 * it has seen (acks and `vote:tallied` broadcasts), so bench/votes.ts can check
 * that every client converged on the stored tallies.
 */
import { randomUUID } from "node:crypto";
import type { VoteTalliedPayload, VoteTally } from "../../app/shared/contract";
import { ServerEvent } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { nowMs } from "../lib/report";
import { connectClient, eachLimited, emitAck, type BenchSocket } from "../lib/socket";
import { serveRequests } from "../lib/workers";

const VALUES = ["agree", "disagree", "unsure"] as const;
interface Client {
  socket: BenchSocket;
  /** propositionId → highest-version tally seen */
  view: Map<string, { tally: VoteTally; version: number }>;
}
const clients: Client[] = [];
let broadcastsReceived = 0;

function see(client: Client, p: VoteTalliedPayload) {
  const current = client.view.get(p.propositionId);
  const version = typeof p.version === "number" ? p.version : Number.MAX_SAFE_INTEGER; // servers without versions: keep the latest
  if (!current || version >= current.version) client.view.set(p.propositionId, { tally: p.tally, version });
}

serveRequests({
  async connect(body: { url: string; debateId: string; tokens: string[] }) {
    const started = nowMs();
    const errors = await eachLimited(body.tokens, 10, async (token) => {
      const client: Client = { socket: null as unknown as BenchSocket, view: new Map() };
      const { socket } = await connectClient(body.url, {
        debateId: body.debateId,
        token,
        beforeConnect: (s) =>
          s.on(ServerEvent.voteTallied, (p: VoteTalliedPayload) => {
            broadcastsReceived++;
            see(client, p);
          }),
      });
      client.socket = socket;
      clients.push(client);
    });
    return { connected: clients.length, failed: errors.length, firstError: errors[0] ?? null, ms: nowMs() - started };
  },

  /** Closed-loop voting by every client until `durationMs` has passed. */
  async run(body: { propositionIds: string[]; durationMs: number; ackTimeoutMs?: number }) {
    const deadline = nowMs() + body.durationMs;
    const latencies: number[] = [];
    const errors: Record<string, number> = {};
    let acked = 0;
    broadcastsReceived = 0;
    await Promise.all(
      clients.map(async (client) => {
        while (nowMs() < deadline) {
          const propositionId = body.propositionIds[Math.floor(Math.random() * body.propositionIds.length)];
          const value = VALUES[Math.floor(Math.random() * VALUES.length)];
          const sent = nowMs();
          try {
            const reply = await emitAck<VoteTalliedPayload>(client.socket, ClientEvent.castVote, { opId: randomUUID(), propositionId, value }, body.ackTimeoutMs ?? 15_000);
            if (reply.ok) {
              acked++;
              latencies.push(nowMs() - sent);
              see(client, reply.data);
            } else {
              errors[reply.error.code] = (errors[reply.error.code] ?? 0) + 1;
            }
          } catch {
            errors.timeout = (errors.timeout ?? 0) + 1;
          }
        }
      }),
    );
    return { acked, latencies, errors, broadcastsReceived };
  },

  /** How many clients hold exactly `expected` (propositionId → tally) for the given propositions. */
  check(body: { expected: Record<string, VoteTally>; versions?: Record<string, number | null> }) {
    let converged = 0;
    let firstMismatch: string | null = null;
    for (const c of clients) {
      let ok = true;
      for (const [id, tally] of Object.entries(body.expected)) {
        const seen = c.view.get(id)?.tally ?? { agree: 0, disagree: 0, unsure: 0, total: 0 };
        if (seen.agree !== tally.agree || seen.disagree !== tally.disagree || seen.unsure !== tally.unsure || seen.total !== tally.total) {
          ok = false;
          firstMismatch ??= `proposition ${id.slice(0, 8)}: client has ${JSON.stringify(seen)} at version ${c.view.get(id)?.version ?? "none"}, stored ${JSON.stringify(tally)} at version ${body.versions?.[id] ?? "?"}`;
        }
      }
      if (ok) converged++;
    }
    return { clients: clients.length, converged, firstMismatch };
  },

  close() {
    for (const c of clients) c.socket.close();
    clients.length = 0;
    return { closed: true };
  },
});
