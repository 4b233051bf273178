/**
 * The Prisma client (generated into app/generated/prisma by `npm run prisma:generate`),
 * talking to PostgreSQL through @prisma/adapter-pg: no native engine at run time.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../app/generated/prisma/client.ts";

export type Db = PrismaClient;

/** The transaction client Prisma passes to `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Creates a client for `databaseUrl` (postgresql://…). It connects lazily: a wrong URL or
 * a stopped server surfaces on the first query, not here. Call `db.$disconnect()` to end
 * its connection pool (otherwise the pool keeps the process alive).
 */
export function createPrismaClient(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
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
