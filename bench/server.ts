/**
 * The Steelman server as the benchmarks run it: `startServer` in its own
 * process (never in the process that drives the clients), on 127.0.0.1.
 * Env: DATABASE_URL, PORT, BENCH_SERVE_APP=1 to serve the built app (build/),
 * SOCKET_ADAPTER (memory | postgres | redis; default "postgres", as `npm start`
 * without REDIS_URL), REDIS_URL, RATE_LIMITS (unset: limits off; else as
 * `npm start` reads it, e.g. '{}' for the production rules).
 * Started by bench/lib/server-process.ts as
 * `node --expose-gc --import tsx bench/server.ts` with NODE_ENV=production, LOG_LEVEL=error,
 * and METRICS_TOKEN (a random one per run: GET /metrics needs it as a bearer token).
 * Stops cleanly on SIGTERM/SIGINT (so `--cpu-prof` profiles are written).
 */
import { startServer } from "../server/app";
import { log } from "../server/log";
import { rateLimitConfig, rateLimitsEnvSchema } from "../server/services/rate-limits";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL is not set.");
// As server/index.ts: pg-boss 10 does not await its own complete()/fail() (ADR 0055), so a
// database dropped at that moment rejects a promise nobody holds; log it, never die of it.
process.on("unhandledRejection", (reason) => log.error("unhandled rejection", reason));

const server = await startServer({
  databaseUrl,
  port: Number(process.env.PORT ?? 3500),
  host: "127.0.0.1",
  serveApp: process.env.BENCH_SERVE_APP === "1",
  adapter: (process.env.SOCKET_ADAPTER ?? (process.env.REDIS_URL ? "redis" : "postgres")) as "memory" | "postgres" | "redis",
  redisUrl: process.env.REDIS_URL,
  // Benchmarks measure the engine at full speed: one poster at 5/s and voters as fast as acks return
  // would otherwise meet the per-participant rate limits (server/services/rate-limits.ts).
  // RATE_LIMITS (as `npm start` reads it) puts rules back, e.g. '{}' for the production defaults.
  rateLimits: process.env.RATE_LIMITS ? rateLimitConfig(rateLimitsEnvSchema.parse(process.env.RATE_LIMITS)) : "off",
  metricsToken: process.env.METRICS_TOKEN,
  databasePool: { size: process.env.DATABASE_POOL_SIZE ? Number(process.env.DATABASE_POOL_SIZE) : undefined, transactionWaitMs: process.env.DATABASE_TRANSACTION_WAIT_MS ? Number(process.env.DATABASE_TRANSACTION_WAIT_MS) : undefined },
});
console.log(`bench server listening on ${server.url}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 5_000).unref();
  void server.close().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
