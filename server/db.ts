/**
 * The Prisma client (generated into app/generated/prisma by `npm run prisma:generate`),
 * talking to PostgreSQL through @prisma/adapter-pg: no native engine at run time.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client.ts";

export type Db = PrismaClient;

/** How many connections one process holds and how long work waits for one (docs/decisions/0061-retryable-database-errors.md). */
export interface DatabasePoolOptions {
  /** Connections in the pool (pg-pool `max`); default 10. */
  size?: number;
  /** Milliseconds a transaction waits for a connection before Prisma gives up with P2028 (answered `busy`); default 2000. */
  transactionWaitMs?: number;
  /** Milliseconds a started transaction may run before it is rolled back; default 5000. */
  transactionTimeoutMs?: number;
}

/** The transaction client Prisma passes to `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Creates a client for `databaseUrl` (postgresql://…). It connects lazily: a wrong URL or
 * a stopped server surfaces on the first query, not here. Call `db.$disconnect()` to end
 * its connection pool (otherwise the pool keeps the process alive).
 */
export function createPrismaClient(databaseUrl: string, pool: DatabasePoolOptions = {}): Db {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: pool.size ?? 10 }),
    transactionOptions: { maxWait: pool.transactionWaitMs ?? 2_000, timeout: pool.transactionTimeoutMs ?? 5_000 },
  });
}

/**
 * Whether `error` is a unique-constraint violation (Prisma's P2002, or the
 * driver adapter's message when it reports one raw), e.g. a parallel duplicate.
 */
export const isUniqueViolation = (error: unknown): boolean =>
  (error as { code?: string })?.code === "P2002" || /unique constraint/i.test(String((error as Error)?.message));

export { Prisma } from "../app/generated/prisma/client.ts";
export type {
  Argument,
  Debate,
  Participant,
  Proposition,
  Rating,
  Source,
  Vote,
} from "../app/generated/prisma/client.ts";
