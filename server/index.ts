/**
 * `npm start`: parses the environment, starts an embedded PostgreSQL when
 * DATABASE_URL is unset, applies migrations, and serves the app and
 * socket.io on PORT (default 3000). Stops cleanly on SIGINT/SIGTERM.
 */
import { parseEnv } from "./env";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { applyMigrations } from "./migrate";
import { rateLimitConfig } from "./services/rate-limits";
import { startServer } from "./app";
import { SmtpMailer } from "./services/mailer";
import { log } from "./log";

async function main() {
  const env = parseEnv();
  let databaseUrl = env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!databaseUrl) {
    log.info("DATABASE_URL is not set: starting the embedded PostgreSQL (data in .data/postgres)…");
    const embedded = await startEmbeddedPostgres({ port: env.EMBEDDED_PG_PORT, onNote: (message) => log.info(message) });
    databaseUrl = embedded.databaseUrl;
    stopEmbedded = embedded.stop;
  }
  const { applied } = await applyMigrations(databaseUrl);
  if (applied.length) log.info(`Applied migrations: ${applied.join(", ")}`);

  const adapter = env.SOCKET_ADAPTER ?? (env.REDIS_URL ? "redis" : "postgres");
  // Real mail with SMTP_URL; without it the LogMailer (development only: startServer says so).
  const mailer = env.SMTP_URL && env.MAIL_FROM ? new SmtpMailer(env.SMTP_URL, env.MAIL_FROM) : undefined;
  if (mailer) mailer.verify().catch((error) => log.error(`The SMTP server does not answer or refuses the credentials (${mailer.description}); password-reset mail will fail until it does.`, error));
  const server = await startServer({
    databaseUrl,
    port: env.PORT,
    host: env.HOST,
    adapter,
    redisUrl: env.REDIS_URL,
    rateLimits: rateLimitConfig(env.RATE_LIMITS),
    publicUrl: env.PUBLIC_URL,
    allowedHosts: env.ALLOWED_HOSTS,
    trustProxy: env.TRUST_PROXY,
    metricsToken: env.METRICS_TOKEN,
    draftMax: env.PROPOSITIONS_DRAFT_MAX,
    mailer,
    databasePool: { size: env.DATABASE_POOL_SIZE, transactionWaitMs: env.DATABASE_TRANSACTION_WAIT_MS },
    writeAdmission: { concurrency: env.WRITE_CONCURRENCY, queueLimit: env.WRITE_QUEUE_LIMIT, queueWaitMs: env.WRITE_QUEUE_WAIT_MS },
  });
  log.info(`Steelman is running at http://localhost:${server.port}${server.site.publicUrl ? ` (people open ${server.site.linkOrigin})` : ""}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await server.close();
      await stopEmbedded?.();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

// A bug in one request must not take the debate down for everyone: log and keep serving.
process.on("unhandledRejection", (reason) => log.error("unhandled rejection", reason));

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
