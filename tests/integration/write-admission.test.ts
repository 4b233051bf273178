/**
 * Issue 9, "Backpressure instead of failure": writes beyond the process's bound are refused with
 * the retryable `busy` (HTTP 503 + Retry-After, socket ack `{ code: "busy", retryAfterSeconds }`)
 * before their body is read, reads still pass, and a refused write resent later is applied once.
 * The bound is made tiny here (one write at a time, no queue) and one write is held open by a
 * request whose body has not arrived yet, so "full" is deterministic.
 */
import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import type { Ack } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { api, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { emitWithAck } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

const METRICS_TOKEN = "write-admission-test";
const { server, connect: connectSocket } = useTestServer({ rateLimits: "off", metricsToken: METRICS_TOKEN, writeAdmission: { concurrency: 1, queueLimit: 0, queueWaitMs: 5_000 } });

/** The server's write counters (GET /metrics is a read: it is never queued). */
async function writes(): Promise<{ running: number; waiting: number; refusedFull: number }> {
  const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  return ((await res.json()) as { writes: { running: number; waiting: number; refusedFull: number } }).writes;
}
const open: Socket[] = [];
afterAll(() => open.forEach((s) => s.destroy()));

/** Starts a PUT whose body is declared but not sent; `finish()` sends it and resolves with the raw reply. */
function heldVote(path: string, token: string, body: string) {
  const url = new URL(server.url);
  const socket = connect(Number(url.port), url.hostname);
  open.push(socket);
  let reply = "";
  socket.on("data", (chunk) => (reply += chunk.toString("utf8")));
  const ended = new Promise<string>((resolve) => socket.on("close", () => resolve(reply)));
  socket.write(`PUT ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`);
  return {
    finish: () => {
      socket.write(body);
      return ended;
    },
  };
}

describe("a full write queue", () => {
  it("answers busy with Retry-After before reading the body, lets reads through, and applies the resent write once", async () => {
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada", "Ben"]);
    const ada = participants[0]!;
    const ben = participants[1]!;
    const proposition = debate.propositions[0]!.id;
    const votePath = `/api/debates/${debate.id}/propositions/${proposition}/vote`;
    const { socket } = await connectSocket(debate.id, ben.token);

    const held = heldVote(votePath, ada.token, JSON.stringify({ value: "agree" }));
    // Wait until the held request has its slot (watched through /metrics, which is not a write).
    await expect.poll(async () => (await writes()).running, { timeout: 20_000, interval: 50 }).toBe(1);

    // HTTP: 503, Retry-After, a stable code, a message a person understands; the body was never needed.
    const refused = await fetch(`${server.url}${votePath}`, { method: "PUT", headers: { Authorization: `Bearer ${ben.token}`, "Content-Type": "application/json", "Content-Length": "1000000" } });
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await refused.json()).error).toMatchObject({ code: "busy", message: expect.stringMatching(/not been saved yet/) });

    // Socket: a `busy` acknowledgement with a retry hint, not a timeout or internal_error.
    const opId = randomUUID();
    const busy = (await emitWithAck(socket, ClientEvent.castVote, { opId, propositionId: proposition, value: "disagree" })) as Ack<unknown>;
    expect(busy).toMatchObject({ ok: false, error: { code: "busy", retryAfterSeconds: expect.any(Number) } });

    // Reads are not writes: they pass while the queue is full.
    expect((await api(server.url, `/api/debates/${debate.id}`)).status).toBe(200);

    expect((await writes()).refusedFull).toBeGreaterThanOrEqual(2);

    // The held write completes normally once its body arrives.
    expect(await held.finish()).toMatch(/^HTTP\/1\.1 200/);

    // The refused socket write, resent with the same opId, is applied once.
    const again = (await emitWithAck(socket, ClientEvent.castVote, { opId, propositionId: proposition, value: "disagree" })) as Ack<unknown>;
    expect(again.ok).toBe(true);
    const replay = (await emitWithAck(socket, ClientEvent.castVote, { opId, propositionId: proposition, value: "disagree" })) as Ack<unknown>;
    expect(replay.ok).toBe(true);
    const after = await api(server.url, `/api/debates/${debate.id}`);
    const tally = after.json.propositions.find((p: { id: string }) => p.id === proposition).tally;
    expect(tally).toMatchObject({ agree: 1, disagree: 1, unsure: 0 });
  });
});
