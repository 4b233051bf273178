/**
 * Starts the built app for Playwright on a fresh database: a new database on
 * TEST_DATABASE_URL's server (default: the machine's PostgreSQL on 5432), or,
 * when that server is unreachable, the embedded PostgreSQL.
 */
import pg from "pg";
import { startServer } from "../../server/app";
import { startEmbeddedPostgres } from "../../server/embedded-postgres";
import { applyMigrations } from "../../server/migrate";

async function freshDatabase(): Promise<string> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  let base = adminUrl;
  try {
    const probe = new pg.Client({ connectionString: adminUrl });
    await probe.connect();
    await probe.end();
  } catch {
    base = (await startEmbeddedPostgres({ dataDir: ".data/postgres-e2e", port: 5434 })).databaseUrl;
  }
  const name = `steelman_e2e_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

const databaseUrl = await freshDatabase();
await applyMigrations(databaseUrl);
// Many debates are created from one address in a run; rate limits have their own integration test.
const server = await startServer({ databaseUrl, port: Number(process.env.PORT ?? 3100), rateLimits: "off" });
console.log(`e2e server on ${server.url}`);

/** Drops this run's database so repeated runs leave nothing behind. */
async function dropDatabase() {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
const stop = () =>
  void server
    .close()
    .then(dropDatabase)
    .catch((error) => console.error("could not drop the e2e database", error))
    .finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
