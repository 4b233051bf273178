/**
 * A debate's argument counts per proposition read with its latest change number (issue 14): what a
 * catch-up for a page holding part of a big debate sends instead of the other parts' changes
 * (./changes.ts catchUp; counted as ./debate-frame.ts partialFrame counts them).
 */
import type { ServiceContext } from "./context";

/** A debate's argument counts per proposition exactly as of change `seq` (frameCountsAt). */
export interface CountsAtSeq {
  seq: number;
  /** Propositions with any argument (deleted ones included, counted 0); `hidden`: the proposition is hidden by a moderator. */
  counts: { propositionId: string; hidden: boolean; pro: number; con: number; all: number }[];
}

/**
 * The debate's latest change number and its argument counts per proposition as ./debate-frame.ts partialFrame counts
 * them (top-level neither deleted nor hidden by stance, `all` not deleted), in one statement, so both
 * come from the same snapshot: the counts are exactly those after change `seq` (every argument write
 * appends its change in the same transaction, ./changes.ts). Null when the debate does not exist.
 */
export async function frameCountsAt(ctx: ServiceContext, debateId: string): Promise<CountsAtSeq | null> {
  const rows = await ctx.db.$queryRaw<{ seq: number | null; propositionId: string | null; hidden: boolean | null; pro: number; con: number; all: number }[]>`
    WITH c AS (
      SELECT "propositionId",
        (count(*) FILTER (WHERE "parentId" IS NULL AND "deletedAt" IS NULL AND "hiddenAt" IS NULL AND stance = 'pro'))::int AS pro,
        (count(*) FILTER (WHERE "parentId" IS NULL AND "deletedAt" IS NULL AND "hiddenAt" IS NULL AND stance = 'con'))::int AS con,
        (count(*) FILTER (WHERE "deletedAt" IS NULL))::int AS "all"
      FROM "Argument" WHERE "debateId" = ${debateId}::uuid GROUP BY 1
    )
    SELECT (SELECT "lastSeq" FROM "Debate" WHERE id = ${debateId}::uuid) AS seq, c."propositionId"::text AS "propositionId",
      (p."hiddenAt" IS NOT NULL) AS hidden, coalesce(c.pro, 0) AS pro, coalesce(c.con, 0) AS con, coalesce(c."all", 0) AS "all"
    FROM (SELECT 1) AS one LEFT JOIN c ON true LEFT JOIN "Proposition" p ON p.id = c."propositionId"`;
  const seq = rows[0]?.seq;
  if (seq === null || seq === undefined) return null;
  return { seq, counts: rows.filter((r) => r.propositionId !== null).map((r) => ({ propositionId: r.propositionId!, hidden: !!r.hidden, pro: r.pro, con: r.con, all: r.all })) };
}
