/**
 * Vitest globalSetup: one fresh, migrated database per test run.
 *
 * Creates `steelman_test_<random>` on TEST_DATABASE_URL's server (default: the machine's
 * PostgreSQL, postgresql://postgres@127.0.0.1:5432/postgres). If that server is unreachable,
 * starts the embedded PostgreSQL in .data/postgres-test instead. Applies prisma/migrations,
 * then gives the URL to tests as `inject("databaseUrl")` and process.env.DATABASE_URL.
 * Teardown drops the database (and stops the embedded server if one was started).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../server/migrate.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of this run's fresh, migrated test database. */
    databaseUrl: string;
  }
}

async function execute(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function reachable(serverUrl: string): Promise<boolean> {
  return execute(serverUrl, "SELECT 1").then(
    () => true,
    () => false,
  );
}

export default async function setup(project: TestProject) {
  let serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!(await reachable(serverUrl))) {
    console.warn(`${new URL(serverUrl).host} is unreachable: using the embedded PostgreSQL (.data/postgres-test).`);
    const { startEmbeddedPostgres } = await import("../../server/embedded-postgres.ts");
    const embedded = await startEmbeddedPostgres({ dataDir: ".data/postgres-test", port: 5435 });
    stopEmbedded = embedded.stop;
    serverUrl = embedded.databaseUrl;
  }

  const name = `steelman_test_${randomBytes(6).toString("hex")}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.href;
  const teardown = async () => {
    try {
      await execute(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await stopEmbedded?.();
    }
  };

  try {
    await execute(serverUrl, `CREATE DATABASE "${name}"`);
    await applyMigrations(databaseUrl);
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide("databaseUrl", databaseUrl);
  process.env.DATABASE_URL = databaseUrl;
  return teardown;
}
