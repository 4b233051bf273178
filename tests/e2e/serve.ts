/**
 * Starts the built app for Playwright on a fresh database (tests/support/fresh-database.ts;
 * embedded fallback in .data/postgres-e2e), dropped again when Playwright stops it.
 */
import { startServer } from "../../server/app";
import { createFreshDatabase } from "../support/fresh-database";
import { log } from "../../server/log";

// As server/index.ts: a rejection nobody holds (pg-boss 10 does not await complete()/fail(), ADR 0055) is logged, not fatal.
process.on("unhandledRejection", (reason) => log.error("unhandled rejection", reason));

const { databaseUrl, drop: dropDatabase } = await createFreshDatabase("steelman_e2e", { dataDir: ".data/postgres-e2e", port: 5434 });
// Many debates are created from one address in a run; rate limits have their own integration test.
const server = await startServer({ databaseUrl, port: Number(process.env.PORT ?? 3100), rateLimits: "off" });
// Playwright's request fixture keeps connections open between a test's API calls, which can be many
// seconds apart while the browser works. With Node's default 5 s keep-alive the server may close one
// just as the next call is sent on it, and that call fails with ECONNRESET (seen under load). A test
// lasts at most a minute (playwright.config.ts), so no connection it uses is closed under it.
server.http.keepAliveTimeout = 70_000;
server.http.headersTimeout = 71_000;
console.log(`e2e server on ${server.url}`);

const stop = () =>
  void server
    .close()
    .then(dropDatabase)
    .catch((error) => console.error("could not drop the e2e database", error))
    .finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
