/**
 * Rate limits with the default rules (server/services/rate-limits.ts), on the
 * socket and the JSON API alike: a clear error with a retry time, nothing
 * written, and replays of an already applied operation not counted.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { type ArgumentDTO } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { startServer } from "../../server/app";
import { useTestServer } from "../support/test-server";
import { DEFAULT_RATE_LIMITS } from "../../server/services/rate-limits";
import { api, facilitatorToken } from "../support/api-client";
import { seedArticle } from "../support/article";
import { connectParticipant, emitWithAck } from "../support/socket-client";

const { server, sockets } = useTestServer({ serveApp: false });

describe("rate limits", () => {
  let debate: { id: string; propositions: { id: string }[] };
  let token: string;
  beforeAll(async () => {
    debate = (await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(server.url) })).json;
    token = (await api(server.url, `/api/debates/${debate.id}/participants`, { body: { displayName: "Fast Fingers" } })).json.token;
  });

  it("stops a participant posting arguments faster than the rule, says when to retry, and writes nothing more", async () => {
    const { socket } = await connectParticipant(server.url, debate.id, token);
    sockets.push(socket);
    const limit = DEFAULT_RATE_LIMITS.argument.points;
    const payloads = Array.from({ length: limit + 1 }, (_, i) => ({ opId: randomUUID(), propositionId: debate.propositions[0]!.id, stance: "pro", body: plainTextToArgumentBody(`Point ${i}`) }));
    const replies = [];
    for (const p of payloads) replies.push(await emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, p));
    expect(replies.slice(0, limit).every((r) => r.ok)).toBe(true);
    const last = replies[limit]!;
    expect(last.ok).toBe(false);
    if (last.ok) return;
    expect(last.error.code).toBe("rate_limited");
    expect(last.error.retryAfterSeconds).toBeGreaterThan(0);
    expect(last.error.message).toMatch(/Try again in \d+ s/);
    expect(await server.db.argument.count({ where: { debateId: debate.id } })).toBe(limit);

    // A replay of an operation already applied is answered, not limited.
    const replay = await emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, payloads[0]);
    expect(replay.ok).toBe(true);
  });

  it("answers the JSON API with 429 and Retry-After", async () => {
    const limit = DEFAULT_RATE_LIMITS.vote.points;
    // All at once, so that they arrive within the rule's window (2 s) however slow the machine is.
    const responses = await Promise.all(
      Array.from({ length: limit + 1 }, (_, i) =>
        fetch(`${server.url}/api/debates/${debate.id}/propositions/${debate.propositions[1]!.id}/vote`, {
          method: "PUT",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify({ value: i % 2 ? "agree" : "disagree" }),
        }),
      ),
    );
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    const retryAfter = responses.find((res) => res.status === 429)!.headers.get("retry-after");
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const tally = (await api(server.url, `/api/debates/${debate.id}`)).json.propositions[1].tally;
    expect(tally.total).toBe(1); // one participant, one current vote, whatever the clicking
  });
});

describe("copies of one operation sent at once", () => {
  it("count once against the limit: every copy is answered with the one argument, and the points of the others are given back", async () => {
    const created = (await api(server.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token: await facilitatorToken(server.url) })).json;
    const poster = (await api(server.url, `/api/debates/${created.id as string}/participants`, { body: { displayName: "Double Tapper" } })).json.token as string;
    const limit = DEFAULT_RATE_LIMITS.argument.points;
    const post = (opId: string, text: string) =>
      fetch(`${server.url}/api/debates/${created.id as string}/arguments`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${poster}` },
        body: JSON.stringify({ opId, propositionId: created.propositions[0].id, stance: "pro", body: plainTextToArgumentBody(text) }),
      });
    const opId = randomUUID();
    const copies = await Promise.all(Array.from({ length: limit }, () => post(opId, "Sent five times at once.")));
    expect(copies.map((r) => r.status)).toEqual(Array.from({ length: limit }, () => 201));
    const ids = new Set(await Promise.all(copies.map(async (r) => ((await r.json()) as ArgumentDTO).id)));
    expect(ids.size).toBe(1);
    // One point used: the rest of the limit is still there for new arguments, and then it stops.
    for (let i = 1; i < limit; i++) expect((await post(randomUUID(), `New argument ${i}`)).status).toBe(201);
    expect((await post(randomUUID(), "One too many")).status).toBe(429);
    expect(await server.db.argument.count({ where: { debateId: created.id as string } })).toBe(limit);
  });
});

describe("client address behind a proxy (TRUST_PROXY)", () => {
  const joinFrom = (url: string, debateId: string, forwardedFor: string) =>
    fetch(`${url}/api/debates/${debateId}/participants`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Forwarded-For": forwardedFor },
      body: JSON.stringify({ displayName: "Student" }),
    }).then((r) => r.status);

  it("counts joins per forwarded address only when the proxy is trusted; otherwise X-Forwarded-For is ignored", async () => {
    const rules = { join: { points: 2, durationSeconds: 60 } };
    const trusting = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: false, rateLimits: { ...DEFAULT_RATE_LIMITS, ...rules }, trustProxy: 1 });
    const plain = await startServer({ databaseUrl: inject("databaseUrl"), port: 0, serveApp: false, rateLimits: { ...DEFAULT_RATE_LIMITS, ...rules } });
    try {
      const token = await facilitatorToken(plain.url);
      const debate = (await api(plain.url, "/api/debates", { body: { sourceText: seedArticle, publish: true }, token })).json;
      // Behind a trusted proxy, two schools behind it each get their own allowance.
      expect([await joinFrom(trusting.url, debate.id, "203.0.113.1"), await joinFrom(trusting.url, debate.id, "203.0.113.1")]).toEqual([201, 201]);
      expect(await joinFrom(trusting.url, debate.id, "203.0.113.1")).toBe(429);
      expect(await joinFrom(trusting.url, debate.id, "198.51.100.7")).toBe(201);
      // Without it, a client cannot escape its limit by making up a forwarded address.
      expect([await joinFrom(plain.url, debate.id, "192.0.2.1"), await joinFrom(plain.url, debate.id, "192.0.2.2")]).toEqual([201, 201]);
      expect(await joinFrom(plain.url, debate.id, "192.0.2.3")).toBe(429);
    } finally {
      await trusting.close();
      await plain.close();
    }
  });
});
