/**
 * Starts a server script (bench/server.ts or bench/floor-server.ts) as a
 * separate Node process and waits until it answers HTTP. The benchmarks'
 * client workers and the server never share a process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { onCleanup } from "./lifecycle";
import { projectRoot, sleep } from "./report";

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** The command line, for the report. */
  command: string;
  child: ChildProcess;
  /** GET /metrics (Steelman server only); gc=true forces a full GC first. */
  metrics(gc?: boolean): Promise<Metrics>;
  /** The Authorization header GET /metrics needs (the server's METRICS_TOKEN). */
  metricsHeaders: Record<string, string>;
  stop(): Promise<void>;
}

export interface Metrics {
  heapUsedBytes: number;
  rssBytes: number;
  connectedSockets: number;
  uptimeSeconds: number;
}

export interface StartOptions {
  /** Path relative to the project root, e.g. "bench/server.ts". */
  script: string;
  port: number;
  env?: Record<string, string>;
  /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=bench/.profiles"] (also from BENCH_SERVER_NODE_FLAGS). */
  nodeFlags?: string[];
  /** Path answering 200 once the server is ready. */
  readyPath?: string;
  /** How long start-up may take, in ms (default 60 000; a machine under deliberate strain needs more). */
  readyTimeoutMs?: number;
}

/**
 * Spawns `node --expose-gc --import tsx <script>` and waits (≤ readyTimeoutMs, default 60 s) for `readyPath` to answer 200.
 * The server gets a random METRICS_TOKEN (GET /metrics is closed without it); `metrics()` sends it.
 */
export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const extra = [...(options.nodeFlags ?? []), ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(" ").filter(Boolean) ?? [])];
  const args = ["--expose-gc", ...extra, "--import", "tsx", options.script];
  const metricsToken = randomBytes(24).toString("base64url");
  const metricsHeaders = { Authorization: `Bearer ${metricsToken}` };
  const env = { ...process.env, NODE_ENV: "production", LOG_LEVEL: "error", PORT: String(options.port), METRICS_TOKEN: metricsToken, ...options.env };
  const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[${path.basename(options.script, ".ts")}] `;
  let stderrTail = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    stderrTail = (stderrTail + text).slice(-4000);
    process.stderr.write(text.replace(/^(?=.)/gm, prefix));
  });
  child.stdout!.resume();
  let exited = false;
  child.once("exit", () => (exited = true));

  const stop = async () => {
    if (exited) return;
    const done = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
    await done;
    clearTimeout(timer);
  };
  onCleanup(stop);

  const url = `http://127.0.0.1:${options.port}`;
  const readyPath = options.readyPath ?? "/healthz";
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`${options.script} exited during start-up:\n${stderrTail}`);
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${options.script} did not answer ${readyPath} within ${Math.round(readyTimeoutMs / 1000)} s`);
    await sleep(150);
  }
  const envShown = Object.entries(options.env ?? {})
    .filter(([k]) => k !== "DATABASE_URL")
    .map(([k, v]) => `${k}=${k === "RATE_LIMITS" ? `'${v}'` : v} `)
    .join("");
  return {
    url,
    port: options.port,
    pid: child.pid!,
    command: `NODE_ENV=production LOG_LEVEL=error PORT=${options.port} ${envShown}${options.env?.DATABASE_URL ? "DATABASE_URL=… " : ""}node ${args.join(" ")}`,
    child,
    metricsHeaders,
    async metrics(gc = false) {
      const res = await fetch(`${url}/metrics${gc ? "?gc=1" : ""}`, { headers: metricsHeaders });
      if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
      return (await res.json()) as Metrics;
    },
    stop,
  };
}

/**
 * Rate limits of benchmark servers: off (bench/server.ts), since one poster at
 * 5 arguments/s (production: 5 per 30 s per participant) and 1,000 joins from
 * one address (production: 60 per minute) would meet them. BENCH_RATE_LIMITS
 * is passed on as RATE_LIMITS, e.g. '{}' to run with the production rules.
 */
export const benchRateLimits = process.env.BENCH_RATE_LIMITS;

/** The socket.io adapter the benchmarks run Steelman with: BENCH_ADAPTER, else production's default ("postgres"). */
export const defaultAdapter = process.env.BENCH_ADAPTER ?? "postgres";

/** Starts bench/server.ts (the real Steelman server) on `databaseUrl`. */
export function startSteelman(databaseUrl: string, port: number, options: { serveApp?: boolean; nodeFlags?: string[]; adapter?: string } = {}) {
  return startServerProcess({
    script: "bench/server.ts",
    port,
    env: { DATABASE_URL: databaseUrl, SOCKET_ADAPTER: options.adapter ?? defaultAdapter, ...(benchRateLimits ? { RATE_LIMITS: benchRateLimits } : {}), ...(options.serveApp ? { BENCH_SERVE_APP: "1" } : {}) },
    nodeFlags: options.nodeFlags,
  });
}
