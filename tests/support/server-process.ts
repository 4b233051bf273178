/**
 * Runs the real server (`server/index.ts`) as a child process, as in
 * production, so tests can kill it with SIGKILL or run several nodes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { projectRoot } from "./article";
import { freePort } from "./free-port";

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Output so far, for failure messages. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a server process and waits until /healthz answers 200.
 * `redisUrl` (required with the "redis" adapter; see tests/support/redis-server.ts) becomes its REDIS_URL.
 * @throws when it does not become healthy within `timeoutMs`.
 */
export async function startServerProcess(options: {
  databaseUrl: string;
  port?: number;
  adapter?: "memory" | "postgres" | "redis";
  /** Required with the "redis" adapter: its REDIS_URL (tests/support/redis-server.ts). */
  redisUrl?: string;
  timeoutMs?: number;
  /** More environment for the server, over the defaults below (e.g. PUBLIC_URL, SMTP_URL, LOG_LEVEL: "info"). */
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  if (options.adapter === "redis" && !options.redisUrl) throw new Error("startServerProcess: the redis adapter needs redisUrl (await redisForThisTest()).");
  const port = options.port ?? (await freePort());
  let out = "";
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "server", "index.ts")], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: options.databaseUrl, PORT: String(port), HOST: "127.0.0.1", SOCKET_ADAPTER: options.adapter ?? "memory", ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}), LOG_LEVEL: "error", NODE_ENV: "production", RATE_LIMITS: "off", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => (out += String(d)));
  child.stderr?.on("data", (d) => (out += String(d)));
  const url = `http://127.0.0.1:${port}`;
  // A hang guard, not a speed goal: a loaded 2-core machine can take a minute to start tsx and the server.
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not become healthy: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port,
    child,
    output: () => out,
    kill: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}
