/**
 * `npm run backup` and `npm run restore` (server/backup.ts; README "Backups").
 *
 *   npm run backup                          writes .data/backups/steelman-<UTC time>.sql.gz
 *   npm run backup -- --out <file>          writes <file>
 *   npm run restore -- <file>               into an empty database
 *   npm run restore -- <file> --replace     drops and recreates the database first (stop the app before)
 *
 * The database is DATABASE_URL's, or, when it is unset, the embedded one of `npm start`
 * (.data/postgres): used where it runs, started for the time of the command where not.
 * Exit code 0 on success, 1 with one line saying why otherwise.
 */
import { createReadStream, createWriteStream, existsSync, readFileSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { backupDatabase, restoreDatabase } from "../server/backup";
import { embeddedDatabaseUrl, startEmbeddedPostgres } from "../server/embedded-postgres";
import { parseEnv } from "../server/env";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The database to work on, and how to let go of it. */
async function targetDatabase(): Promise<{ databaseUrl: string; release(): Promise<void> }> {
  const env = parseEnv();
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL, release: async () => {} };
  const pidFile = path.join(projectRoot, ".data", "postgres", "postmaster.pid");
  if (existsSync(pidFile)) {
    const [pid = "", , , port = ""] = readFileSync(pidFile, "utf8").split("\n");
    const alive = (() => {
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch {
        return false;
      }
    })();
    if (alive && Number(port) > 0) return { databaseUrl: embeddedDatabaseUrl(Number(port)), release: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({ port: env.EMBEDDED_PG_PORT });
  return { databaseUrl: embedded.databaseUrl, release: embedded.stop };
}

/** Drops and recreates the database of `databaseUrl` (through the server's `postgres` database). */
async function recreate(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    await client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoted}`);
  } finally {
    await client.end();
  }
}

async function backup(args: string[]): Promise<void> {
  const outIndex = args.indexOf("--out");
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const file = path.resolve(outIndex >= 0 && args[outIndex + 1] ? args[outIndex + 1]! : path.join(projectRoot, ".data", "backups", `steelman-${stamp}.sql.gz`));
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const { databaseUrl, release } = await targetDatabase();
  try {
    const manifest = await backupDatabase(databaseUrl, createWriteStream(partial));
    await rename(partial, file); // a backup cut short never takes the final name
    const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
    console.log(`Backup written to ${file}: ${manifest.tables.Debate ?? 0} debates, ${rows} rows in ${Object.keys(manifest.tables).length} tables.`);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await release();
  }
}

async function restore(args: string[]): Promise<void> {
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) throw new Error("Name the backup to restore: npm run restore -- <file> [--replace]");
  if (!existsSync(file)) throw new Error(`No such file: ${file}`);
  const { databaseUrl, release } = await targetDatabase();
  try {
    if (args.includes("--replace")) await recreate(databaseUrl);
    const { manifest, loaded } = await restoreDatabase(databaseUrl, createReadStream(file));
    const rows = Object.values(loaded).reduce((a, b) => a + b, 0);
    console.log(`Restored ${file} (written ${manifest.createdAt}): ${loaded.Debate ?? 0} debates, ${rows} rows.`);
  } finally {
    await release();
  }
}

const [command, ...rest] = process.argv.slice(2);
const run = command === "backup" ? backup : command === "restore" ? restore : undefined;
if (!run) {
  console.error("Usage: tsx scripts/backup.ts backup [--out <file>] | restore <file> [--replace]");
  process.exit(1);
}
run(rest).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
