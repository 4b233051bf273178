/**
 * A fresh PostgreSQL database per benchmark run on the machine's server
 * (BENCH_PG_URL, default postgresql://postgres@127.0.0.1:5432/postgres),
 * migrated with the project's own applyMigrations and dropped at the end.
 */
import pg from "pg";
import { applyMigrations } from "../../server/migrate";
import { onCleanup } from "./lifecycle";

export const adminUrl = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  name: string;
  url: string;
  /** PostgreSQL server version, for the report. */
  version: string;
}

/** Creates `steelman_bench_<kind>_<timestamp>`, applies prisma/migrations, and registers its DROP. */
export async function createBenchDatabase(kind: string): Promise<BenchDatabase> {
  const name = `steelman_bench_${kind}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version = (await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  onCleanup(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  return { name, url: url.toString(), version };
}
