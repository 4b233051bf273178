/**
 * `npm run bench:strain`: the live write path on its worst day (issue 9). One
 * server process (server/index.ts as `npm start` runs it) reaches PostgreSQL
 * through a TCP proxy the benchmark controls; STRAIN_CLIENTS participants keep
 * STRAIN_IN_FLIGHT operations each in flight (posts, votes, ratings and edits
 * of their own posts), resending anything unanswered or refused as
 * `busy`/`rate_limited` with the same opId, as the browser's outbox does,
 * while STRAIN_BURNERS processes burn CPU beside them. Three trials:
 *   1. overload: STRAIN_SECONDS of that load;
 *   2. kill -9: STRAIN_KILLS times, the server is killed at a random moment
 *      under load and started again;
 *   3. database outage: the proxy refuses every connection for
 *      STRAIN_OUTAGE_SECONDS under load, then lets them through.
 * After each trial every client's operations are resent until acknowledged
 * (bounded), and the figures are printed: writes attempted, acknowledged,
 * retried, refused with a retryable code, failed otherwise (target 0), lost
 * (acknowledged post or edit missing from the database; target 0), duplicated
 * (a post stored twice; target 0), tally drift (API tallies against a SQL
 * recount of votes and ratings; target 0).
 *
 * Env: STRAIN_CLIENTS (150), STRAIN_IN_FLIGHT (3), STRAIN_SECONDS (20),
 * STRAIN_KILLS (20), STRAIN_OUTAGE_SECONDS (20), STRAIN_BURNERS (2),
 * STRAIN_POOL_SIZE (DATABASE_POOL_SIZE of the server; default 10).
 * BENCH_SMOKE=1 (bench:smoke) uses tiny sizes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import type { Ack, DebateDTO } from "../app/shared/contract";
import { ClientEvent } from "../app/shared/operations";
import { ErrorCode, isRetryableCode } from "../app/shared/errors";
import { plainTextToArgumentBody } from "../app/shared/lexical";
import { startDatabaseProxy } from "../tests/support/database-proxy";
import { createDebate, getDebate, joinMany } from "./lib/api";
import { createBenchDatabase } from "./lib/db";
import { onCleanup, runBenchmark } from "./lib/lifecycle";
import { header, sleep } from "./lib/report";
import { startServerProcess, type ServerProcess } from "./lib/server-process";

const smoke = process.env.BENCH_SMOKE === "1";
const num = (name: string, full: number, small: number) => Number(process.env[name] ?? (smoke ? small : full));
const CLIENTS = num("STRAIN_CLIENTS", 150, 10);
const IN_FLIGHT = num("STRAIN_IN_FLIGHT", 3, 2);
const SECONDS = num("STRAIN_SECONDS", 20, 3);
const KILLS = num("STRAIN_KILLS", 20, 1);
const OUTAGE_SECONDS = num("STRAIN_OUTAGE_SECONDS", 20, 3);
const BURNERS = num("STRAIN_BURNERS", 2, 0);
const POOL_SIZE = num("STRAIN_POOL_SIZE", 10, 10);
/** How long the clients get, after a trial, to have everything acknowledged. */
const SETTLE_MS = 90_000;

type Kind = "post" | "vote" | "rating" | "edit";
interface Operation {
  kind: Kind;
  event: string;
  payload: Record<string, unknown>;
  /** For posts and edits: the text that must be stored once the operation is acknowledged. */
  text?: string;
  argumentId?: string;
}

interface Counts {
  attempted: number;
  acknowledged: number;
  retried: number;
  refusedRetryable: number;
  failedOtherwise: number;
  otherCodes: Map<string, number>;
}
const newCounts = (): Counts => ({ attempted: 0, acknowledged: 0, retried: 0, refusedRetryable: 0, failedOtherwise: 0, otherCodes: new Map() });

/** One participant: a reconnecting socket and an outbox of operations resent until acknowledged. */
class LoadClient {
  readonly socket: Socket;
  /** Texts of acknowledged posts, and the last acknowledged text of each own argument. */
  readonly ackedPosts = new Set<string>();
  readonly ownArguments = new Map<string, string>();
  private readonly editing = new Set<string>();
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    url: string,
    debateId: string,
    token: string,
    private readonly name: string,
    private readonly propositionIds: string[],
    private readonly argumentPool: string[],
    private counts: Counts,
  ) {
    this.socket = io(url, { auth: { debateId, token }, transports: ["websocket"], forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 2_000 });
    // As the browser's live client does: a handshake the server refused for now (busy while its database
    // is away or it restarts) is not retried by socket.io itself, so connect again after the hint.
    this.socket.on("connect_error", (error: Error & { data?: { retryAfterSeconds?: number } }) => {
      if (this.socket.active) return;
      setTimeout(() => {
        if (!this.socket.connected && !this.closed) this.socket.connect();
      }, (error.data?.retryAfterSeconds ?? 2) * 1000 * (0.5 + Math.random())).unref();
    });
  }

  setCounts(counts: Counts) {
    this.counts = counts;
  }

  /** Set by close(): no more reconnecting. */
  private closed = false;

  /** Disconnects for good (end of the benchmark). */
  close() {
    this.closed = true;
    this.socket.disconnect();
  }

  start() {
    this.running = true;
    this.loops = Array.from({ length: IN_FLIGHT }, () => this.loop());
  }

  /** Stops making new operations and waits until every started one is acknowledged or has failed. */
  async stop() {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop() {
    while (this.running) await this.send(this.nextOperation());
  }

  private nextOperation(): Operation {
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    const roll = Math.random();
    const own = [...this.ownArguments.keys()].filter((id) => !this.editing.has(id));
    if (roll < 0.1 && own.length > 0) {
      const argumentId = pick(own);
      const text = `${this.name} edit ${randomUUID()}`;
      return { kind: "edit", event: ClientEvent.editArgument, payload: { opId: randomUUID(), argumentId, body: plainTextToArgumentBody(text) }, text, argumentId };
    }
    if (roll < 0.45) {
      const text = `${this.name} post ${randomUUID()}`;
      return { kind: "post", event: ClientEvent.postArgument, payload: { opId: randomUUID(), propositionId: pick(this.propositionIds), stance: Math.random() < 0.5 ? "pro" : "con", body: plainTextToArgumentBody(text) }, text };
    }
    if (roll < 0.8 || this.argumentPool.length === 0) {
      return { kind: "vote", event: ClientEvent.castVote, payload: { opId: randomUUID(), propositionId: pick(this.propositionIds), value: pick(["agree", "disagree", "unsure"]) } };
    }
    return { kind: "rating", event: ClientEvent.rateArgument, payload: { opId: randomUUID(), argumentId: pick(this.argumentPool), value: pick(["up", "down", null]) } };
  }

  /** Sends until acknowledged, refused for good, or SETTLE_MS after stop() (then counted as failed). */
  private async send(op: Operation) {
    this.counts.attempted += 1;
    if (op.argumentId) this.editing.add(op.argumentId);
    let giveUpAt = Number.POSITIVE_INFINITY;
    try {
      for (let attempt = 0; ; attempt++) {
        if (!this.running && giveUpAt === Number.POSITIVE_INFINITY) giveUpAt = Date.now() + SETTLE_MS;
        if (Date.now() > giveUpAt) {
          this.fail("gave_up");
          return;
        }
        if (attempt > 0) this.counts.retried += 1;
        const answer = await this.emitOnce(op);
        if (answer?.ok) {
          this.counts.acknowledged += 1;
          if (op.kind === "post") {
            this.ackedPosts.add(op.text!);
            if (answer.data?.id) {
              this.ownArguments.set(answer.data.id, op.text!);
              if (this.argumentPool.length < 500) this.argumentPool.push(answer.data.id);
            }
          }
          if (op.kind === "edit") this.ownArguments.set(op.argumentId!, op.text!);
          return;
        }
        if (answer && !isRetryableCode(answer.error.code)) {
          this.fail(answer.error.code);
          return;
        }
        if (answer) this.counts.refusedRetryable += 1;
        const hint = answer && !answer.ok ? (answer.error.retryAfterSeconds ?? 1) * 1000 : 200;
        await sleep(Math.min(hint, 2_000) * (0.5 + Math.random()));
      }
    } finally {
      if (op.argumentId) this.editing.delete(op.argumentId);
    }
  }

  /**
   * Sends once and waits for the answer as the browser's outbox does: on a live connection the answer
   * will come (socket.io delivers in order), so it is not resent on a timer, which under overload only
   * adds work; if the connection drops first, it resolves undefined and the caller resends after
   * reconnecting. A 120 s bound guards against a lost answer.
   */
  private async emitOnce(op: Operation): Promise<Ack<{ id?: string }> | undefined> {
    if (!this.socket.connected) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        this.socket.once("connect", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (!this.socket.connected) return undefined;
    }
    return new Promise((resolve) => {
      let settled = false;
      const onDisconnect = () => finish(undefined);
      const finish = (answer: Ack<{ id?: string }> | undefined) => {
        if (settled) return;
        settled = true;
        this.socket.off("disconnect", onDisconnect);
        resolve(answer);
      };
      this.socket.once("disconnect", onDisconnect);
      this.socket.timeout(120_000).emit(op.event, op.payload, (error: unknown, answer: Ack<{ id?: string }>) => finish(error ? undefined : answer));
    });
  }

  private fail(code: string) {
    this.counts.failedOtherwise += 1;
    this.counts.otherCodes.set(code, (this.counts.otherCodes.get(code) ?? 0) + 1);
  }
}

/** Lost and duplicated posts, lost edits, and tally drift, from the database and the API. */
async function check(db: pg.Pool, baseUrl: string, debateId: string, clients: LoadClient[]) {
  const { rows } = await db.query<{ id: string; bodyText: string }>(`SELECT a.id, a."bodyText" FROM "Argument" a JOIN "Proposition" p ON p.id = a."propositionId" WHERE p."debateId" = $1`, [debateId]);
  const byText = new Map<string, number>();
  const textById = new Map<string, string>();
  for (const r of rows) {
    byText.set(r.bodyText, (byText.get(r.bodyText) ?? 0) + 1);
    textById.set(r.id, r.bodyText);
  }
  let lost = 0;
  let duplicated = 0;
  for (const client of clients) {
    // A post is stored once under its own text (more rows with that text are duplicates) ...
    for (const text of client.ackedPosts) duplicated += Math.max(0, (byText.get(text) ?? 0) - 1);
    // ... and each acknowledged argument reads as its last acknowledged post or edit (else it was lost).
    for (const [id, text] of client.ownArguments) if (textById.get(id) !== text) lost += 1;
  }
  const debate = await getDebate(baseUrl, debateId);
  const votes = await db.query<{ propositionId: string; value: string; n: string }>(
    `SELECT v."propositionId", v.value::text AS value, count(*) AS n FROM "Vote" v JOIN "Proposition" p ON p.id = v."propositionId" WHERE p."debateId" = $1 GROUP BY 1, 2`,
    [debateId],
  );
  let drift = 0;
  for (const p of debate.propositions) {
    const counted = { agree: 0, disagree: 0, unsure: 0 };
    for (const r of votes.rows) if (r.propositionId === p.id) counted[r.value as keyof typeof counted] = Number(r.n);
    drift += Math.abs(p.tally.agree - counted.agree) + Math.abs(p.tally.disagree - counted.disagree) + Math.abs(p.tally.unsure - counted.unsure);
  }
  const ratings = await db.query<{ argumentId: string; value: string; n: string }>(
    `SELECT r."argumentId", r.value::text AS value, count(*) AS n FROM "Rating" r JOIN "Argument" a ON a.id = r."argumentId" JOIN "Proposition" p ON p.id = a."propositionId" WHERE p."debateId" = $1 GROUP BY 1, 2`,
    [debateId],
  );
  for (const a of (debate as DebateDTO).arguments) {
    const counted = (value: string) => Number(ratings.rows.find((r) => r.argumentId === a.id && r.value === value)?.n ?? 0);
    const up = counted("up");
    const down = counted("down");
    drift += Math.abs(a.tally.up - up) + Math.abs(a.tally.down - down);
  }
  return { lost, duplicated, drift, stored: rows.length };
}

function burnCpu(count: number): ChildProcess[] {
  return Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
    onCleanup(() => void child.kill("SIGKILL"));
    return child;
  });
}

runBenchmark("bench:strain", (smoke ? 6 : 40) * 60_000, async () => {
  header(
    "bench:strain",
    `${CLIENTS} participants, ${IN_FLIGHT} operations in flight each (posts, votes, ratings, edits), ${BURNERS} CPU-burning processes beside them: overload for ${SECONDS} s, ${KILLS} kill -9 under load, a ${OUTAGE_SECONDS} s database outage under load.`,
  );
  const database = await createBenchDatabase("strain");
  const proxy = await startDatabaseProxy(database.url);
  onCleanup(() => proxy.close());
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  onCleanup(() => db.end());
  const port = 3600 + Math.floor(Math.random() * 300);
  const env = { DATABASE_URL: proxy.databaseUrl, SOCKET_ADAPTER: "memory", DATABASE_POOL_SIZE: String(POOL_SIZE) };
  // Restarting under 150 clients and two CPU burners on 2 cores can take well over a minute.
  const start = () => startServerProcess({ script: "bench/server.ts", port, env, readyTimeoutMs: 300_000 });
  let server: ServerProcess = await start();

  const debate = await createDebate(server.url, 8);
  const joined = await joinMany(server.url, debate.id, CLIENTS, "Strain");
  const propositionIds = debate.propositions.map((p) => p.id);
  const argumentPool: string[] = [];
  let counts = newCounts();
  const clients = joined.map((j, i) => new LoadClient(server.url, debate.id, j.token, `S${i}`, propositionIds, argumentPool, counts));
  onCleanup(() => clients.forEach((c) => c.close()));
  burnCpu(BURNERS);

  const results: string[] = [];
  const trial = async (name: string, during: () => Promise<void>) => {
    counts = newCounts();
    clients.forEach((c) => c.setCounts(counts));
    const started = Date.now();
    clients.forEach((c) => c.start());
    await during();
    await Promise.all(clients.map((c) => c.stop()));
    const seconds = (Date.now() - started) / 1000;
    const verdict = await check(db, server.url, debate.id, clients);
    const other = [...counts.otherCodes].map(([c, n]) => `${c} ${n}`).join(", ");
    const line =
      `${name} (${seconds.toFixed(0)} s): attempted ${counts.attempted}, acknowledged ${counts.acknowledged}, retried ${counts.retried}, ` +
      `refused retryable ${counts.refusedRetryable}, failed otherwise ${counts.failedOtherwise}${other ? ` (${other})` : ""}, ` +
      `lost ${verdict.lost}, duplicated ${verdict.duplicated}, tally drift ${verdict.drift}`;
    console.log(line);
    const ok = counts.failedOtherwise === 0 && verdict.lost === 0 && verdict.duplicated === 0 && verdict.drift === 0;
    console.log(`  nothing lost, duplicated or drifted, no generic error: ${ok ? "met" : "MISSED"}`);
    results.push(line);
  };

  await trial("overload", () => sleep(SECONDS * 1000));
  await trial(`kill -9 ×${KILLS}`, async () => {
    for (let k = 0; k < KILLS; k++) {
      await sleep(500 + Math.random() * 2_000);
      server.child.kill("SIGKILL");
      await new Promise((r) => server.child.once("exit", r));
      server = await start();
    }
    await sleep(1_000);
  });
  await trial(`database outage ${OUTAGE_SECONDS} s`, async () => {
    await sleep(1_000);
    proxy.cut();
    await sleep(OUTAGE_SECONDS * 1000);
    proxy.restore();
    await sleep(2_000);
  });
  const healthy = (await fetch(`${server.url}/healthz`)).status === 200;
  console.log(`server answering after the outage without a restart: ${healthy ? "met" : "MISSED"}`);
  if (!healthy) process.exitCode = 1;
  console.log(`\ncommand: npm run bench:strain; ${ErrorCode.busy} answers count as "refused retryable"`);
});
