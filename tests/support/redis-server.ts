/**
 * A Redis for the tests that need one, started by the test itself and never assumed on 6379:
 * - TEST_REDIS_URL, when set, wins (nothing is started or stopped);
 * - else a `redis-server` found on PATH, started on a free port on 127.0.0.1 with nothing kept
 *   on disk, and stopped after the test;
 * - else the `redis-memory-server` package, which downloads and builds a Redis the first time
 *   (it needs network access and a C compiler; where it cannot, the test fails with one line
 *   saying what to install).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createConnection } from "node:net";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { freePort } from "./free-port";

export interface TestRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  /** Stops the server this helper started (nothing for TEST_REDIS_URL). Safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;

/**
 * A Redis for the running test, stopped when it finishes (vitest `onTestFinished`, which runs
 * after its afterEach hooks, so servers using it are stopped first). Call it once per test and
 * share the URL between the processes of that test.
 * @returns its URL.
 * @throws Error (one line) when no Redis can be had: none on PATH and redis-memory-server failed.
 */
export async function redisForThisTest(): Promise<string> {
  const redis = await startTestRedis();
  onTestFinished(() => redis.stop());
  return redis.url;
}

/**
 * Starts (or, with TEST_REDIS_URL, points at) a Redis; see the module comment for the order.
 * @throws Error (one line) when no Redis can be had.
 */
export async function startTestRedis(): Promise<TestRedis> {
  const given = process.env.TEST_REDIS_URL;
  if (given) return { url: given, stop: async () => {} };
  const binary = onPath(os.platform() === "win32" ? "redis-server.exe" : "redis-server");
  if (binary) return startRedisServer(binary);
  return startRedisMemoryServer();
}

/** The first executable `name` in PATH's folders, or undefined. */
function onPath(name: string): string | undefined {
  for (const folder of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Whether a Redis on `port` answers PING with PONG. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += String(chunk);
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

/**
 * Runs `binary` on a free port (tried again on another port if it was taken meanwhile) and waits
 * until it answers PING.
 */
async function startRedisServer(binary: string, attempt = 1): Promise<TestRedis> {
  const port = await freePort();
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", os.tmpdir(), "--daemonize", "no", "--loglevel", "warning"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += String(chunk)));
  child.stderr.on("data", (chunk) => (output += String(chunk)));
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const failed = await Promise.race([spawnError, new Promise<undefined>((resolve) => setTimeout(resolve, 50, undefined))]);
    if (failed) throw new Error(`${binary} could not be run (${(failed as NodeJS.ErrnoException).code ?? failed.message}); fix it, remove it from PATH, or set TEST_REDIS_URL.`);
    if (child.exitCode !== null) {
      if (/address already in use/i.test(output) && attempt < 3) return startRedisServer(binary, attempt + 1);
      throw new Error(`${binary} exited (code ${child.exitCode}) before answering: ${lastLine(output)}`);
    }
    if (await answersPing(port)) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`${binary} did not answer PING on port ${port} within ${READY_TIMEOUT_MS / 1000} s: ${lastLine(output)}`);
    }
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child) };
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Falls back on `redis-memory-server` (a devDependency), which fetches and builds Redis on first use. */
async function startRedisMemoryServer(): Promise<TestRedis> {
  // It prints its own progress and failures with console.*; the one line thrown below says it all.
  const saved = { log: console.log, warn: console.warn, error: console.error };
  const quiet = () => {};
  Object.assign(console, { log: quiet, warn: quiet, error: quiet });
  try {
    const { RedisMemoryServer } = await import("redis-memory-server");
    const server = await RedisMemoryServer.create({ instance: { ip: "127.0.0.1" } });
    const [host, port] = await Promise.all([server.getHost(), server.getPort()]);
    let stopped = false;
    return {
      url: `redis://${host}:${port}`,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await server.stop();
      },
    };
  } catch (error) {
    throw new Error(
      `No Redis for this test: there is no redis-server on PATH, and redis-memory-server could not fetch one (${lastLine(error instanceof Error ? error.message : String(error))}). Install Redis (apt-get install redis-server, brew install redis) or set TEST_REDIS_URL=redis://HOST:PORT.`,
      { cause: error },
    );
  } finally {
    Object.assign(console, saved);
  }
}

function lastLine(text: string): string {
  return text.trim().split("\n").filter(Boolean).at(-1)?.trim() ?? "no output";
}
