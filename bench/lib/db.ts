/**
 * A fresh PostgreSQL database per benchmark run, migrated with the project's own
 * applyMigrations and dropped at the end (tests/support/fresh-database.ts): on BENCH_PG_URL's
 * server when set, else on the machine's (postgresql://postgres@127.0.0.1:5432/postgres) when
 * it answers, else on the embedded PostgreSQL (data in .data/postgres-bench, port 5436 or the
 * next free one, fsync on), started for the run and stopped with it.
 */
import pg from "pg";
import { createFreshDatabase } from "../../tests/support/fresh-database";
import { onCleanup } from "./lifecycle";

export interface BenchDatabase {
  name: string;
  url: string;
  /** PostgreSQL server version, for the report; "(embedded)" is added when it is the embedded server. */
  version: string;
}

/** Creates `steelman_bench_<kind>_<random>`, applies prisma/migrations, and registers its DROP. */
export async function createBenchDatabase(kind: string): Promise<BenchDatabase> {
  const fresh = await createFreshDatabase(`steelman_bench_${kind}`, { dataDir: ".data/postgres-bench", port: 5436, throwaway: false }, { variable: "BENCH_PG_URL" });
  onCleanup(fresh.drop);
  const client = new pg.Client({ connectionString: fresh.databaseUrl });
  await client.connect();
  const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  await client.end();
  return { name: new URL(fresh.databaseUrl).pathname.slice(1), url: fresh.databaseUrl, version: fresh.embedded ? `${version} (embedded)` : version };
}
