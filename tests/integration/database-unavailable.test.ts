/**
 * When the database cannot serve a request now, every write path answers a
 * success or a retryable refusal, never a generic error, and nothing
 * acknowledged is lost or applied twice (issue 9: "Backpressure instead of
 * failure", "The database goes away and comes back"; server/database-availability.ts).
 *
 * [U1] Overload: a pool of two connections and a 100 ms wait for one, 120 posts
 *      over sockets and 60 votes over HTTP at once. Every answer is ok or
 *      `busy` (socket) / 503 + Retry-After (HTTP); resending the refused posts
 *      with the same opId stores each post exactly once.
 * [U2] Outage: the database taken away behind a TCP proxy. /healthz, the API,
 *      a connected socket and a page answer 503 / `busy` / "Reconnecting…";
 *      when it comes back the same server (no restart) accepts the write held
 *      by the client, once.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { ArgumentDTO } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { ErrorCode } from "../../app/shared/errors";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { startServer, type RunningServer } from "../../server/app";
import { api, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { startDatabaseProxy, type DatabaseProxy } from "../support/database-proxy";
import { connectParticipant, emitWithAck, type TestSocket } from "../support/socket-client";

const servers: RunningServer[] = [];
const proxies: DatabaseProxy[] = [];
const sockets: TestSocket[] = [];
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(proxies.map((p) => p.close()));
});

const post = (propositionId: string, opId: string, text: string) => ({ opId, propositionId, stance: "pro" as const, body: plainTextToArgumentBody(text) });

describe("[U1] overload answers success or a retryable refusal, and retries apply once", () => {
  it("120 socket posts and 60 HTTP votes on a two-connection pool", async () => {
    // Set up through a server with an ordinary pool (opening a first connection alone can take over 25 ms) ...
    const setUp = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, rateLimits: "off" });
    servers.push(setUp);
    const names = Array.from({ length: 30 }, (_, i) => `Student ${i + 1}`);
    const { debate, participants } = await publishedDebateWith(setUp.url, seedArticle, names);
    // ... then load a second server on the same database whose pool is far too small.
    // The write queue (ADR 0064) is opened wide here so that the writes reach Prisma and its
    // transaction wait is what refuses them (tests/integration/write-admission.test.ts covers the queue).
    const server = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, rateLimits: "off", databasePool: { size: 2, transactionWaitMs: 100 }, writeAdmission: { concurrency: 1_000 } });
    servers.push(server);
    const propositionId = debate.propositions[0]!.id;
    const connected = await Promise.all(participants.map((p) => connectParticipant(server.url, debate.id, p.token)));
    sockets.push(...connected.map((c) => c.socket));

    const writes = connected.flatMap((c, i) => Array.from({ length: 4 }, (_, j) => ({ socket: c.socket, opId: randomUUID(), text: `Post ${j} by student ${i + 1}` })));
    const votes = participants.flatMap((p) => [p, p]).map((p, i) =>
      fetch(`${server.url}/api/debates/${debate.id}/propositions/${propositionId}/vote`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${p.token}` },
        body: JSON.stringify({ value: i % 2 === 0 ? "agree" : "disagree" }),
      }),
    );
    const [acks, voteResponses] = await Promise.all([Promise.all(writes.map((w) => emitWithAck<ArgumentDTO>(w.socket, ClientEvent.postArgument, post(propositionId, w.opId, w.text)))), Promise.all(votes)]);

    const ackCodes = acks.map((a) => (a.ok ? "ok" : a.error.code));
    expect(ackCodes.filter((c) => c !== "ok" && c !== ErrorCode.busy), "socket answers other than ok/busy").toEqual([]);
    for (const a of acks) if (!a.ok) expect(a.error.retryAfterSeconds).toBeGreaterThan(0);
    const statuses = voteResponses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503), "HTTP answers other than 200/503").toEqual([]);
    for (const r of voteResponses.filter((r) => r.status === 503)) {
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe(ErrorCode.busy);
    }
    // The path under test was really taken: two connections cannot serve 180 writes within 100 ms each.
    expect(ackCodes.filter((c) => c === ErrorCode.busy).length + statuses.filter((s) => s === 503).length).toBeGreaterThan(0);

    // As the client's outbox does: each refused post is resent with the same opId after a jittered wait, until acknowledged.
    const deadline = Date.now() + 60_000;
    const resent = await Promise.all(
      writes
        .filter((_, i) => !acks[i]!.ok)
        .map(async (w) => {
          for (;;) {
            await new Promise((r) => setTimeout(r, 50 + Math.random() * 450));
            const answer = await emitWithAck<ArgumentDTO>(w.socket, ClientEvent.postArgument, post(propositionId, w.opId, w.text));
            if (answer.ok || answer.error.code !== ErrorCode.busy || Date.now() > deadline) return answer.ok ? "ok" : answer.error.code;
          }
        }),
    );
    expect(resent.filter((r) => r !== "ok")).toEqual([]);
    // Resending an acknowledged post again changes nothing: each post is stored exactly once.
    const again = await emitWithAck<ArgumentDTO>(writes[0]!.socket, ClientEvent.postArgument, post(propositionId, writes[0]!.opId, writes[0]!.text));
    expect(again.ok).toBe(true);
    const stored = await server.db.argument.findMany({ where: { propositionId }, select: { bodyText: true } });
    expect(stored.length).toBe(writes.length);
    expect(new Set(stored.map((s) => s.bodyText)).size).toBe(writes.length);
  }, 120_000);
});

describe("[U2] the database goes away and comes back", () => {
  it("answers 503/busy/Reconnecting during the outage and accepts the held write afterwards, without a restart", async () => {
    const proxy = await startDatabaseProxy(inject("databaseUrl"));
    proxies.push(proxy);
    const server = await startServer({ databaseUrl: proxy.databaseUrl, port: 0, serveApp: true, rateLimits: "off" });
    servers.push(server);
    const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Ada"]);
    const propositionId = debate.propositions[0]!.id;
    const { socket } = await connectParticipant(server.url, debate.id, participants[0]!.token);
    sockets.push(socket);

    proxy.cut();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(Number(health.headers.get("retry-after"))).toBeGreaterThan(0);

    const vote = await api(server.url, `/api/debates/${debate.id}/propositions/${propositionId}/vote`, { method: "PUT", body: { value: "agree" }, token: participants[0]!.token });
    expect(vote.status).toBe(503);
    expect(vote.json.error.code).toBe(ErrorCode.busy);

    const held = post(propositionId, randomUUID(), "Written while the database was away.");
    const refused = await emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, held);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe(ErrorCode.busy);

    // A new live connection is refused with the retryable code and a hint (socket.io-client does not
    // retry a refused handshake by itself: the live client connects again after the hint).
    const refusedHandshake = await connectParticipant(server.url, debate.id, participants[0]!.token).then(
      () => null,
      (error: Error & { data?: { code?: string; retryAfterSeconds?: number } }) => error,
    );
    expect(refusedHandshake?.data).toMatchObject({ code: ErrorCode.busy, retryAfterSeconds: expect.any(Number) });

    const page = await fetch(`${server.url}/debates/${debate.id}`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("Reconnecting");

    proxy.restore();
    const deadline = Date.now() + 20_000;
    let answer = await emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, held);
    while (!answer.ok && Date.now() < deadline) {
      expect(answer.error.code).toBe(ErrorCode.busy);
      await new Promise((r) => setTimeout(r, 250));
      answer = await emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, held);
    }
    expect(answer.ok).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/debates/${debate.id}`)).status).toBe(200);
    expect(await server.db.argument.count({ where: { propositionId, bodyText: "Written while the database was away." } })).toBe(1);
  }, 120_000);
});
