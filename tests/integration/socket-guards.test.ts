/**
 * Socket guards (server/realtime/socket-guards.ts; issue 9 "Hostile traffic"):
 * [G1] an unknown event is acknowledged `unknown_event` (or told by debate:error without a callback);
 * [G2] a message over 256 KiB is acknowledged `payload_too_large` and the connection stays usable;
 * [G3] a message over the transport limit closes the connection and the server carries on;
 * [G4] a burst over the per-connection rate is acknowledged `rate_limited` with a retry hint;
 *      after a pause the same connection is served again;
 * [G5] a connection that keeps flooding is told why and closed.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type ArgumentDTO, LIMITS, ServerEvent } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { ErrorCode } from "../../app/shared/errors";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import { SOCKET_EVENTS_PER_SECOND, SOCKET_FLOOD_REFUSALS, SOCKET_TRANSPORT_MAX_BYTES } from "../../server/realtime/socket-guards";
import { publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { emitWithAck, nextEvent } from "../support/socket-client";
import { useTestServer } from "../support/test-server";

// Production rate limits: the per-connection guard is on.
const { server, connect } = useTestServer({ serveApp: false });

async function debater() {
  const { debate, participants } = await publishedDebateWith(server.url, seedArticle, ["Guarded"]);
  const { socket } = await connect(debate.id, participants[0]!.token);
  return { socket, debate, propositionId: debate.propositions[0]!.id };
}

const rawAck = (socket: Awaited<ReturnType<typeof debater>>["socket"], event: string, ...args: unknown[]) =>
  (socket.timeout(10_000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<{ ok: boolean; error?: { code: string; message: string; retryAfterSeconds?: number } }> }).emitWithAck(event, ...args);

describe("socket guards", () => {
  it("[G1] acknowledges an unknown event with unknown_event, and tells an event without callback by debate:error", async () => {
    const { socket } = await debater();
    const answer = await rawAck(socket, "argument:launch-missiles", { anything: true });
    expect(answer.ok).toBe(false);
    expect(answer.error?.code).toBe(ErrorCode.unknownEvent);
    expect(answer.error?.message).toMatch(/does not know the event/);
    const told = nextEvent(socket, ServerEvent.error, (e) => e.code === ErrorCode.unknownEvent);
    (socket as unknown as { emit(e: string, p: unknown): void }).emit("no-such-event", 1);
    expect((await told).message).toMatch(/no-such-event/);
  });

  it("[G2] refuses a 300 KiB message with payload_too_large, and the connection stays usable", async () => {
    const { socket, propositionId } = await debater();
    const huge = { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody("x".repeat(300 * 1024)) };
    expect(300 * 1024).toBeGreaterThan(LIMITS.socketMessageMaxBytes);
    const answer = await rawAck(socket, ClientEvent.postArgument, huge);
    expect(answer.error?.code).toBe(ErrorCode.payloadTooLarge);
    expect(answer.error?.message).toMatch(/too large: at most 256 KiB/);
    const posted = await emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody("A normal argument after the large one.") });
    expect(posted.ok).toBe(true);
  });

  it("[G3] closes a connection that sends more than the transport limit; the server carries on", async () => {
    const { socket, debate } = await debater();
    const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
    (socket as unknown as { emit(e: string, p: unknown): void }).emit(ClientEvent.postArgument, { blob: "y".repeat(SOCKET_TRANSPORT_MAX_BYTES + 1024) });
    expect(await closed).toBe("transport close");
    expect((await fetch(`${server.url}/api/debates/${debate.id}`)).status).toBe(200);
  });

  it("[G4] answers a burst over the per-connection rate with rate_limited and a retry hint, then serves it again", async () => {
    const { socket } = await debater();
    const answers = await Promise.all(Array.from({ length: SOCKET_EVENTS_PER_SECOND + 20 }, () => rawAck(socket, ClientEvent.resync, { lastSeq: 0 })));
    const limited = answers.filter((a) => a.error?.code === ErrorCode.rateLimited);
    expect(limited.length).toBeGreaterThanOrEqual(20);
    for (const a of limited) expect(a.error?.retryAfterSeconds).toBe(1);
    expect(answers.filter((a) => !a.ok && a.error?.code !== ErrorCode.rateLimited)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_200));
    expect((await rawAck(socket, ClientEvent.resync, { lastSeq: 0 })).ok).toBe(true);
  });

  it("[G5] closes a connection that keeps flooding, saying why", async () => {
    const { socket } = await debater();
    const told = nextEvent(socket, ServerEvent.error, (e) => /far too many messages/.test(e.message), 30_000);
    const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
    for (let i = 0; i < SOCKET_EVENTS_PER_SECOND + SOCKET_FLOOD_REFUSALS + 10; i++) (socket as unknown as { emit(e: string, p: unknown): void }).emit(ClientEvent.resync, { lastSeq: 0 });
    expect((await told).code).toBe(ErrorCode.rateLimited);
    expect(await closed).toBe("io server disconnect");
  });
});
