/**
 * Two server processes behind a real HAProxy configured as `npm run cluster` configures it
 * (scripts/lib/haproxy.ts; docs/decisions/0082-haproxy-with-cookie-stickiness.md), sharing rooms
 * and rate limits through one Redis:
 * - a client that starts on HTTP long-polling stays on one process through the `steelman_node`
 *   cookie HAProxy sets (polling requests and the WebSocket upgrade reach the process holding the
 *   session), and new clients are spread over both processes;
 * - a participant whose cookie sends them to process a sees, live, the votes cast by participants
 *   whose cookie sends them to process b, and the tally they end with equals a recount of the
 *   Vote table and the tally the API serves through the proxy;
 * - a participant's vote allowance is counted once in Redis, whichever process takes the vote.
 * Needs `haproxy` (apt-get install haproxy). Without it these tests are reported as not run, with
 * how to install it, so that `npm test` works with only Node; where STEELMAN_REQUIRE_HAPROXY=1
 * (.ci/run) a missing haproxy fails the file (scripts/lib/haproxy.ts, haproxyChecks).
 */
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, inject, it } from "vitest";
import { ServerEvent, type VoteTalliedPayload, type VoteTally, type WelcomePayload } from "../../app/shared/contract";
import { ClientEvent } from "../../app/shared/operations";
import { createPrismaClient } from "../../server/db";
import { haproxyChecks, startHaproxy, STICKY_COOKIE, type RunningProxy } from "../../scripts/lib/haproxy";
import { api, publishedDebateWith } from "../support/api-client";
import { seedArticle } from "../support/article";
import { redisForThisTest } from "../support/redis-server";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { freePort } from "../support/free-port";

const METRICS_TOKEN = "proxy-cluster-test-metrics-token";
const processes: ServerProcess[] = [];
const proxies: RunningProxy[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.disconnect());
  await Promise.all(proxies.splice(0).map((p) => p.stop()));
  await Promise.all(processes.splice(0).map((p) => p.kill("SIGTERM")));
});

/** Two processes (Redis adapter, one Redis) behind HAProxy with backends named "a" and "b"; `extraEnv` for both processes. */
async function cluster(extraEnv: Record<string, string> = {}) {
  const databaseUrl = inject("databaseUrl");
  const redisUrl = await redisForThisTest();
  const env = { METRICS_TOKEN, TRUST_PROXY: "loopback", ...extraEnv };
  const [a, b] = await Promise.all([startServerProcess({ databaseUrl, adapter: "redis", redisUrl, env }), startServerProcess({ databaseUrl, adapter: "redis", redisUrl, env })]);
  processes.push(a, b);
  const proxy = await startHaproxy({ bindPort: await freePort(), backends: [{ name: "a", port: a.port }, { name: "b", port: b.port }] });
  proxies.push(proxy);
  return { a, b, proxy, databaseUrl };
}

/** socket.io connections held by one process (GET /metrics). */
async function socketsOn(server: ServerProcess): Promise<number> {
  const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  return ((await res.json()) as { connectedSockets: number }).connectedSockets;
}

/**
 * Connects through the proxy starting on long-polling (as a browser may), upgrading to WebSocket;
 * `cookie` pins the backend, else the client keeps the cookie HAProxy gives it (withCredentials:
 * engine.io-client's cookie jar). Resolves once welcomed and upgraded.
 */
async function connectThroughProxy(url: string, debateId: string, token: string | undefined, cookie?: string): Promise<Socket> {
  const socket = io(url, {
    auth: { debateId, token },
    transports: ["polling", "websocket"],
    forceNew: true,
    reconnection: false,
    ...(cookie ? { extraHeaders: { cookie } } : { withCredentials: true }),
  });
  sockets.push(socket);
  const upgraded = new Promise<void>((resolve) => socket.io.engine?.once("upgrade", () => resolve()) ?? resolve());
  await new Promise<WelcomePayload>((resolve, reject) => {
    socket.once(ServerEvent.welcome, resolve);
    socket.once("connect_error", reject);
  });
  if (socket.io.engine.transport.name !== "websocket") await upgraded;
  return socket;
}

const checks = haproxyChecks();
if (!checks.run) console.warn(`tests/integration/proxy-cluster.test.ts: ${checks.reason}`);

describe.runIf(checks.run)("two processes behind HAProxy", () => {
  it("keeps a long-polling client on one process by the sticky cookie, and spreads new clients over both", async () => {
    const { a, b, proxy } = await cluster();
    const { debate, participants } = await publishedDebateWith(proxy.url, seedArticle, ["Ada", "Ben", "Cy", "Dee"]);
    // Sequential handshakes: round robin sends them to a and b in turn. Without stickiness, a
    // polling request reaching the other process would be refused ("Session ID unknown").
    for (const p of participants) {
      const socket = await connectThroughProxy(proxy.url, debate.id, p.token);
      expect(socket.connected).toBe(true);
      expect(socket.io.engine.transport.name).toBe("websocket");
    }
    const [onA, onB] = await Promise.all([socketsOn(a), socketsOn(b)]);
    expect(onA + onB).toBe(participants.length);
    expect(onA).toBeGreaterThan(0);
    expect(onB).toBeGreaterThan(0);
    const first = await fetch(`${proxy.url}/healthz`);
    expect(first.headers.get("set-cookie")).toMatch(new RegExp(`^${STICKY_COOKIE}=(a|b);`));
  });

  it("shows a participant on process a the votes cast through process b live, ending on the recounted tally", async () => {
    const { a, b, proxy, databaseUrl } = await cluster();
    const { debate, participants } = await publishedDebateWith(proxy.url, seedArticle, ["Ada", "Ben", "Cy", "Dee"]);
    const [ada, ...voters] = participants;
    const propositionIds = debate.propositions.slice(0, 2).map((p) => p.id);

    const adaSocket = await connectThroughProxy(proxy.url, debate.id, ada!.token, `${STICKY_COOKIE}=a`);
    expect([await socketsOn(a), await socketsOn(b)]).toEqual([1, 0]);
    const seenByAda = new Map<string, { tally: VoteTally; version: number }>();
    let liveTallies = 0;
    adaSocket.on(ServerEvent.voteTallied, (t: VoteTalliedPayload) => {
      liveTallies++;
      const current = seenByAda.get(t.propositionId);
      if (!current || t.version >= current.version) seenByAda.set(t.propositionId, { tally: t.tally, version: t.version });
    });

    const voterSockets = [];
    for (const v of voters) voterSockets.push(await connectThroughProxy(proxy.url, debate.id, v.token, `${STICKY_COOKIE}=b`));
    expect([await socketsOn(a), await socketsOn(b)]).toEqual([1, voters.length]);

    // Each voter votes on both propositions and changes their mind once; the latest ack per proposition has the highest version.
    const values = ["agree", "disagree", "unsure"] as const;
    const latestVersion = new Map<string, number>();
    for (const [i, socket] of voterSockets.entries()) {
      for (const [j, propositionId] of propositionIds.entries()) {
        for (const round of [0, 1]) {
          const reply = (await socket.timeout(10_000).emitWithAck(ClientEvent.castVote, { opId: randomUUID(), propositionId, value: values[(i + j + round) % 3] })) as { ok: boolean; data: VoteTalliedPayload };
          expect(reply.ok).toBe(true);
          latestVersion.set(propositionId, Math.max(latestVersion.get(propositionId) ?? 0, reply.data.version));
        }
      }
    }
    // Ada's view reaches every proposition's latest version (a hang guard, not a speed goal).
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      if (propositionIds.every((id) => (seenByAda.get(id)?.version ?? -1) >= latestVersion.get(id)!)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(liveTallies).toBeGreaterThan(0);

    const db = createPrismaClient(databaseUrl);
    try {
      const rows = await db.vote.groupBy({ by: ["propositionId", "value"], where: { propositionId: { in: propositionIds } }, _count: { _all: true } });
      const served = await api(proxy.url, `/api/debates/${debate.id}`);
      for (const id of propositionIds) {
        const recount: VoteTally = { agree: 0, disagree: 0, unsure: 0, total: 0 };
        for (const r of rows.filter((x) => x.propositionId === id)) {
          recount[r.value] += r._count._all;
          recount.total += r._count._all;
        }
        expect(recount.total).toBe(voters.length);
        expect(seenByAda.get(id)?.tally).toEqual(recount);
        expect((served.json.propositions as { id: string; tally: VoteTally }[]).find((p) => p.id === id)?.tally).toEqual(recount);
      }
    } finally {
      await db.$disconnect();
    }
  });

  it("counts a participant's votes against one allowance in Redis, whichever process takes them", async () => {
    const { proxy } = await cluster({ RATE_LIMITS: JSON.stringify({ vote: { points: 4, durationSeconds: 600 } }) });
    const { debate, participants } = await publishedDebateWith(proxy.url, seedArticle, ["Ada"]);
    const token = participants[0]!.token;
    const propositionId = debate.propositions[0]!.id;
    const onA = await connectThroughProxy(proxy.url, debate.id, token, `${STICKY_COOKIE}=a`);
    const onB = await connectThroughProxy(proxy.url, debate.id, token, `${STICKY_COOKIE}=b`);
    const vote = async (socket: Socket, value: string) => (await socket.timeout(10_000).emitWithAck(ClientEvent.castVote, { opId: randomUUID(), propositionId, value })) as { ok: boolean; error?: { code: string } };
    // Two votes through each process use the allowance of four; the fifth is refused on either.
    for (const [socket, value] of [[onA, "agree"], [onA, "disagree"], [onB, "unsure"], [onB, "agree"]] as const) expect((await vote(socket, value)).ok).toBe(true);
    const fifth = await vote(onB, "disagree");
    expect(fifth.ok).toBe(false);
    expect(fifth.error?.code).toBe("rate_limited");
  });
});
