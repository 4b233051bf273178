/**
 * Threads of arguments in the database (recursive CTEs over `parentId`): a
 * thread's members, an argument's state up its thread, and which arguments a
 * hidden argument takes with it. Who receives a change inside a hidden thread
 * is decided by the publisher (./publish.ts).
 */
import type { Tx } from "../db";

/** Anything that can run a raw query: the client or a transaction. */
type Queryable = Pick<Tx, "$queryRaw">;

/** The argument and every reply under it at any depth (the argument first). */
export async function threadIds(db: Queryable, argumentId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE thread AS (
      SELECT id, 0 AS depth FROM "Argument" WHERE id = ${argumentId}::uuid
      UNION ALL
      SELECT a.id, t.depth + 1 FROM "Argument" a JOIN thread t ON a."parentId" = t.id
    )
    SELECT id::text AS id FROM thread ORDER BY depth`;
  return rows.map((r) => r.id);
}

/**
 * In one query: the argument's proposition (null when there is no such
 * argument), whether it was deleted, and whether it or any argument it answers
 * is hidden (replies, reports and ratings check these).
 */
export async function argumentState(db: Queryable, argumentId: string): Promise<{ propositionId: string | null; deleted: boolean; inHiddenThread: boolean }> {
  const rows = await db.$queryRaw<{ propositionId: string | null; hidden: boolean | null; deleted: boolean | null }[]>`
    WITH RECURSIVE up AS (
      SELECT id, "parentId", "hiddenAt", ("deletedAt" IS NOT NULL) AS deleted, "propositionId"::text AS "propositionId" FROM "Argument" WHERE id = ${argumentId}::uuid
      UNION ALL
      SELECT a.id, a."parentId", a."hiddenAt", false, NULL FROM "Argument" a JOIN up ON a.id = up."parentId"
    )
    SELECT max("propositionId") AS "propositionId", bool_or("hiddenAt" IS NOT NULL) AS hidden, bool_or(deleted) AS deleted FROM up`;
  return { propositionId: rows[0]?.propositionId ?? null, deleted: rows[0]?.deleted === true, inHiddenThread: rows[0]?.hidden === true };
}

/** Takes the argument's row lock until the transaction ends (edits, sources, moderation of one argument run one at a time). */
export async function lockArgument(tx: Queryable, argumentId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Argument" WHERE id = ${argumentId}::uuid FOR UPDATE`;
}

/**
 * Every argument of the debate that is hidden or answers a hidden argument,
 * now, with its author's participant id.
 * @returns argument id → author id.
 */
export async function hiddenThreadMembers(db: Queryable, debateId: string): Promise<Map<string, string>> {
  const rows = await db.$queryRaw<{ id: string; authorId: string }[]>`
    WITH RECURSIVE hidden AS (
      SELECT id, "authorId" FROM "Argument" WHERE "debateId" = ${debateId}::uuid AND "hiddenAt" IS NOT NULL
      UNION
      SELECT a.id, a."authorId" FROM "Argument" a JOIN hidden h ON a."parentId" = h.id
    )
    SELECT id::text AS id, "authorId"::text AS "authorId" FROM hidden`;
  return new Map(rows.map((r) => [r.id, r.authorId]));
}
