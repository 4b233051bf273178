/**
 * [D1] No error from a database connection, pool or socket.io adapter ends the
 * process: PostgreSQL ending every connection of the server (what a restart,
 * a failover or `pg_terminate_backend` does) leaves it running, and it answers
 * writes again once it has reconnected. Tried with each socket adapter.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, inject, it } from "vitest";
import { type ArgumentDTO, ServerEvent } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { plainTextToArgumentBody } from "../../app/shared/lexical";
import pg from "pg";
import { publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { redisForThisTest } from "../support/redis-server";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { connectParticipant, emitWithAck, nextEvent, type TestSocket } from "../support/socket-client";

const processes: ServerProcess[] = [];
const sockets: TestSocket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await Promise.all(processes.splice(0).map((p) => p.kill("SIGKILL")));
});

/** Ends every connection to the test database but this one; returns how many were ended. */
async function terminateServerConnections(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

describe("[D1] the server survives PostgreSQL ending its connections", () => {
  it.each(["postgres", "redis", "memory"] as const)("with the %s adapter it stays up and accepts writes afterwards", async (adapter) => {
    const databaseUrl = inject("databaseUrl");
    const node = await startServerProcess({ databaseUrl, adapter, redisUrl: adapter === "redis" ? await redisForThisTest() : undefined });
    processes.push(node);
    const { debate, participants } = await publishedDebateWith(node.url, seedArticle, ["Ada"]);
    const propositionId = debate.propositions[0]!.id;

    expect(await terminateServerConnections(databaseUrl)).toBeGreaterThan(0);
    // Long enough for every dropped connection to report its error (the adapter's LISTEN client too).
    await new Promise((r) => setTimeout(r, 1_500));
    expect(node.child.exitCode, node.output()).toBeNull();
    expect(node.child.signalCode, node.output()).toBeNull();

    // It answers again: health, then a write over a fresh socket (retried while the pool reconnects).
    const deadline = Date.now() + 15_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline) {
      healthy = await fetch(`${node.url}/healthz`).then((r) => r.status === 200, () => false);
      if (!healthy) await new Promise((r) => setTimeout(r, 250));
    }
    expect(healthy, node.output()).toBe(true);
    const { socket } = await connectParticipant(node.url, debate.id, participants[0]!.token);
    sockets.push(socket);
    const posted = await emitWithAck<ArgumentDTO>(socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "pro", body: plainTextToArgumentBody("After the database came back.") });
    expect(posted.ok).toBe(true);
    expect(node.child.exitCode, node.output()).toBeNull();
  }, 60_000);
});

/** connectParticipant, tried again every 250 ms until `deadline` (epoch ms) while the handshake is refused. */
async function connectWhileRecovering(url: string, debateId: string, token: string, deadline: number): Promise<Awaited<ReturnType<typeof connectParticipant>>> {
  for (;;) {
    try {
      const connected = await connectParticipant(url, debateId, token);
      sockets.push(connected.socket);
      return connected;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

describe("[D2] the PostgreSQL adapter listens again after its connection was ended", () => {
  it("a change made on one process reaches a client of the other", async () => {
    const databaseUrl = inject("databaseUrl");
    const [one, two] = await Promise.all([startServerProcess({ databaseUrl, adapter: "postgres" }), startServerProcess({ databaseUrl, adapter: "postgres" })]);
    processes.push(one, two);
    const { debate, participants } = await publishedDebateWith(one.url, seedArticle, ["Ada", "Ben"]);
    const propositionId = debate.propositions[0]!.id;

    await terminateServerConnections(databaseUrl);
    // The adapter retries its LISTEN connection after 1–3 s; changes made before it is back are
    // caught up from the change log on reconnect, not lost, but this test waits for the live path.
    // The servers' own pools replace their ended connections too: until they have, a handshake or a
    // write may be refused ("could not check your connection"), so both are tried again until the deadline.
    const deadline = Date.now() + 20_000;
    const ada = await connectWhileRecovering(one.url, debate.id, participants[0]!.token, deadline);
    const ben = await connectWhileRecovering(two.url, debate.id, participants[1]!.token, deadline);
    let crossed = false;
    let lastPost: unknown;
    while (!crossed && Date.now() < deadline) {
      const seen = nextEvent(ben.socket, ServerEvent.change, (c) => c.kind === "argument.created", 2_000).then(() => true, () => false);
      const posted = await emitWithAck<ArgumentDTO>(ada.socket, ClientEvent.postArgument, { opId: randomUUID(), propositionId, stance: "con", body: plainTextToArgumentBody("Across processes again.") });
      lastPost = posted;
      crossed = posted.ok && (await seen);
      if (!posted.ok) await new Promise((r) => setTimeout(r, 250));
    }
    expect(lastPost).toMatchObject({ ok: true });
    expect(crossed, one.output() + two.output()).toBe(true);
    expect(one.child.exitCode ?? two.child.exitCode).toBeNull();
  }, 60_000);
});
