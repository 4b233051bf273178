/**
 * `npm run cluster`: Steelman as several identical processes behind HAProxy on one machine, the
 * README's "Several server processes" set-up made real (docs/decisions/0082-haproxy-with-cookie-stickiness.md).
 *
 * Starts, in order:
 * 1. the database: DATABASE_URL's, or (unset) the embedded PostgreSQL as `npm start` does, once for
 *    every process; migrations are applied once here, before any process starts;
 * 2. Redis: REDIS_URL's, or (unset) a `redis-server` from PATH on CLUSTER_PORT + 9 with nothing kept
 *    on disk, so socket.io rooms go through the Redis Streams adapter and rate-limit counters are
 *    shared (docs/decisions/0009-rate-limits.md); without either, the processes share rooms through
 *    PostgreSQL (the default adapter) and each counts its own rate limits, which is said at start;
 * 3. CLUSTER_PROCESSES (2) processes of server/index.ts on 127.0.0.1, ports CLUSTER_PORT + 1, + 2, …,
 *    with TRUST_PROXY=loopback (unless set) so they believe HAProxy's X-Forwarded-For;
 * 4. HAProxy (scripts/lib/haproxy.ts) on CLUSTER_HOST:CLUSTER_PORT (0.0.0.0:3000), round robin with
 *    sticky sessions by the `steelman_node` cookie and health checks on /healthz.
 * The job queue (pg-boss) lives in the shared database, so every process works the same queue.
 * Ctrl-C or SIGTERM stops HAProxy, then each process (they drain, server/drain.ts), then Redis and
 * the embedded PostgreSQL. When any process exits by itself, everything is stopped and the exit
 * code is 1. Needs a built app (`npm run cluster` builds first) and `haproxy` on the machine.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { startEmbeddedPostgres } from "../server/embedded-postgres";
import { applyMigrations } from "../server/migrate";
import { findHaproxy, HAPROXY_MISSING, startHaproxy, type RunningProxy } from "./lib/haproxy";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const envSchema = z.object({
  CLUSTER_PORT: z.coerce.number().int().min(1).max(65_525).default(3000),
  CLUSTER_HOST: z.string().min(1).default("0.0.0.0"),
  CLUSTER_PROCESSES: z.coerce.number().int().min(1).max(8).default(2),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, { message: "DATABASE_URL must start with postgresql://" }).optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, { message: "REDIS_URL must start with redis:// or rediss://" }).optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65_535).default(5433),
});

const say = (message: string) => console.log(`[cluster] ${message}`);
const children: { name: string; child: ChildProcess }[] = [];
let proxy: RunningProxy | undefined;
let stopEmbedded: (() => Promise<void>) | undefined;
let stopping = false;

/** Where `name` is on PATH, or undefined. */
function onPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    try {
      accessSync(path.join(folder, name), constants.X_OK);
      return path.join(folder, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Spawns a child whose output is prefixed with `name`; a child that exits by itself stops everything. */
function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  // Own process group: a terminal's Ctrl-C reaches only this script, which stops the children in order.
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const prefix = (chunk: Buffer) => chunk.toString().replace(/^(?=.)/gm, `[${name}] `);
  child.stdout!.on("data", (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.once("exit", (code, signal) => {
    if (stopping) return;
    say(`${name} exited (${code ?? signal}); stopping the rest.`);
    void stopAll(1);
  });
  children.push({ name, child });
  return child;
}

/** Waits until `url` answers 200, or the child exits, or `timeoutMs` passes. */
async function waitHealthy(name: string, child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || stopping) throw new Error(`${name} exited during start-up (see its output above).`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs / 1000} s.`);
}

/** Stops HAProxy, the app processes (SIGTERM: they drain), Redis, the embedded PostgreSQL; then exits. */
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await proxy?.stop();
  const stopChild = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });
  // App processes first (they drain, and may still write to Redis and PostgreSQL), then Redis.
  await Promise.all(children.filter((c) => c.name !== "redis").map((c) => stopChild(c.child)));
  await Promise.all(children.filter((c) => c.name === "redis").map((c) => stopChild(c.child)));
  await stopEmbedded?.();
  process.exit(code);
}

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const env = parsed.data;
  if (!findHaproxy()) throw new Error(HAPROXY_MISSING);

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    say("DATABASE_URL is not set: starting the embedded PostgreSQL (data in .data/postgres) for every process…");
    const embedded = await startEmbeddedPostgres({ port: env.EMBEDDED_PG_PORT, onNote: say });
    databaseUrl = embedded.databaseUrl;
    stopEmbedded = embedded.stop;
  }
  const { applied } = await applyMigrations(databaseUrl);
  say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");

  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    const redisServer = onPath("redis-server");
    if (redisServer) {
      const port = env.CLUSTER_PORT + 9;
      run("redis", redisServer, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"], process.env);
      redisUrl = `redis://127.0.0.1:${port}`;
      say(`REDIS_URL is not set: started redis-server on ${redisUrl} (nothing kept on disk).`);
    } else {
      say("no REDIS_URL and no redis-server on PATH: rooms are shared through PostgreSQL, and each process counts its own rate limits.");
    }
  }

  const ports = Array.from({ length: env.CLUSTER_PROCESSES }, (_, i) => env.CLUSTER_PORT + 1 + i);
  const processEnv = (port: number): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    PORT: String(port),
    HOST: "127.0.0.1",
    TRUST_PROXY: process.env.TRUST_PROXY ?? "loopback",
    NODE_ENV: process.env.NODE_ENV ?? "production",
  });
  const started = ports.map((port, i) => ({ name: `app-${i + 1}`, port, child: run(`app-${i + 1}`, process.execPath, ["--import", "tsx", "server/index.ts"], processEnv(port)) }));
  await Promise.all(started.map((s) => waitHealthy(s.name, s.child, `http://127.0.0.1:${s.port}/healthz`, 180_000)));
  say(`${started.length} processes healthy on ports ${ports.join(", ")}${redisUrl ? ", sharing rooms and rate limits through Redis" : ""}.`);

  proxy = await startHaproxy({ bindHost: env.CLUSTER_HOST, bindPort: env.CLUSTER_PORT, backends: started.map((s) => ({ name: s.name, port: s.port })) });
  proxy.child.once("exit", (code, signal) => {
    if (stopping) return;
    say(`haproxy exited (${code ?? signal}): ${proxy?.output().trim()}; stopping the rest.`);
    void stopAll(1);
  });
  proxy.child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk.toString().replace(/^(?=.)/gm, "[haproxy] ")));
  say(`HAProxy (${proxy.command}) listens on ${env.CLUSTER_HOST}:${env.CLUSTER_PORT}: open http://localhost:${env.CLUSTER_PORT}. Ctrl-C stops everything.`);
}

process.on("SIGINT", () => void stopAll(0));
// Whatever ends this script, no child outlives it.
process.on("exit", () => children.forEach(({ child }) => child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
process.on("SIGTERM", () => void stopAll(0));
main().catch((error: unknown) => {
  console.error(`[cluster] ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
