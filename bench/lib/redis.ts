/**
 * A Redis for a benchmark run: BENCH_REDIS_URL when set (nothing started), else a `redis-server`
 * from PATH started on `port` (127.0.0.1, nothing kept on disk) and stopped with the run, else
 * none (undefined: the caller falls back to the PostgreSQL adapter and says so).
 */
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { createClient } from "redis";
import { onCleanup } from "./lifecycle";
import { sleep } from "./report";

/** Starts or points at a Redis; resolves with its URL, or undefined when there is none. @throws when a started redis-server does not answer within 15 s. */
export async function benchRedis(port: number): Promise<string | undefined> {
  if (process.env.BENCH_REDIS_URL) return process.env.BENCH_REDIS_URL;
  const binary = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((folder) => path.join(folder, "redis-server"))
    .find((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (!binary) return undefined;
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"], { stdio: "ignore" });
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited at start (is port ${port} taken?)`);
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.ping();
      await client.quit();
      return url;
    } catch {
      await client.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 15 s`);
    await sleep(100);
  }
}
