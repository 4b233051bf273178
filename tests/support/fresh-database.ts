/**
 * One fresh, migrated database for a test run: created on TEST_DATABASE_URL's
 * server (default: the machine's PostgreSQL, postgresql://postgres@127.0.0.1:5432/postgres)
 * or, when TEST_DATABASE_URL is unset and nothing answers on 5432, on an embedded PostgreSQL
 * started for the run (server/embedded-postgres.ts, without fsync: its data is thrown away).
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

/** Why `serverUrl` cannot be used (e.g. "ECONNREFUSED"), or undefined when it answers. */
const connectionProblem = (serverUrl: string): Promise<string | undefined> =>
  execute(serverUrl, "SELECT 1").then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error.code ?? error.message,
  );

/**
 * Creates `<prefix>_<random>` and applies prisma/migrations to it.
 * @param fallback where the embedded PostgreSQL keeps its data and listens, if it is needed, and
 *   whether its data may be lost on a crash (`throwaway`, default true: no fsync).
 * @param server the variable naming the server to use (default TEST_DATABASE_URL; bench/ passes
 *   BENCH_PG_URL). When it is set, that server must answer; unset, 127.0.0.1:5432 is tried first.
 * @returns its URL, whether it is on the embedded server, and `drop()`, which drops it and stops
 *   the embedded server if one was started.
 * @throws when the variable is set but its server cannot be used, the embedded server cannot
 *   start (EmbeddedPostgresError, which explains why), or a migration fails (nothing is left behind).
 */
export async function createFreshDatabase(
  prefix: string,
  fallback: { dataDir: string; port: number; throwaway?: boolean },
  server: { variable: string } = { variable: "TEST_DATABASE_URL" },
): Promise<{ databaseUrl: string; embedded: boolean; drop(): Promise<void> }> {
  const given = process.env[server.variable];
  let serverUrl = given ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  let stopEmbedded: (() => Promise<void>) | undefined;
  const problem = await connectionProblem(serverUrl);
  if (problem) {
    const host = new URL(serverUrl).host;
    if (given) throw new Error(`${server.variable} (${host}) cannot be used (${problem}): start that server, or unset ${server.variable} to use the embedded PostgreSQL.`);
    console.warn(`No usable PostgreSQL on ${host} (${problem}): using the embedded one (${fallback.dataDir}).`);
    const { startEmbeddedPostgres } = await import("../../server/embedded-postgres.ts");
    const embedded = await startEmbeddedPostgres({
      dataDir: fallback.dataDir,
      port: fallback.port,
      throwaway: fallback.throwaway ?? true,
      variables: { databaseUrl: server.variable },
      onNote: (message) => console.warn(message),
    });
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
  return { databaseUrl: url.href, embedded: stopEmbedded !== undefined, drop };
}
