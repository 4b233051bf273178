/**
 * Reading a big debate in parts (issue 14): one proposition's arguments a page at a time, and a
 * full-text search over a debate's propositions and arguments (docs/api.md; the choices in
 * docs/decisions/0024-argument-pages-and-search.md). The same reader rules as the whole debate
 * (./debates.ts getDebate): private debates and drafts only for those who may read them, hidden
 * propositions only for facilitators, arguments in a hidden thread withheld from all but
 * facilitators and their authors — and never found by search for anyone else.
 */
import { z } from "zod";
import type { ArgumentDTO, CurrentParticipant } from "../../app/shared/contract";
import { isUuid } from "../../app/shared/contract";
import { notFound, validationError, type ValidationIssue } from "../../app/shared/errors";
import { argumentForViewer, mayViewHidden } from "../../app/shared/moderation";
import { requireReadable } from "./access";
import { argumentInclude, toArgumentDTO } from "./arguments";
import type { ServiceContext } from "./context";
import { hiddenThreadMembers } from "./threads";

/** Argument orders of a page: oldest first, newest first, or best rated (up − down, then oldest). */
export const ARGUMENT_ORDERS = ["oldest", "newest", "top"] as const;
export type ArgumentOrder = (typeof ARGUMENT_ORDERS)[number];
/** Page sizes: default and most. */
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;

/** Where a page ends: the last item's sort key. Opaque to clients (base64url JSON). */
const cursorSchema = z.object({ c: z.iso.datetime(), i: z.uuid(), s: z.number().int().optional() });
type Cursor = z.infer<typeof cursorSchema>;

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decodeCursor(raw: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    throw validationError("cursor is not one this server gave: start again without it.", "cursor");
  }
}

/** Query of `GET /api/debates/:id/propositions/:pid/arguments`. */
export const argumentPageQuerySchema = z
  .object({
    order: z.enum(ARGUMENT_ORDERS, { message: `order must be one of ${ARGUMENT_ORDERS.join(", ")}.` }).default("oldest"),
    limit: z.coerce
      .number({ message: "limit must be a number." })
      .int({ message: "limit must be a whole number." })
      .min(1, { message: "limit must be at least 1." })
      .max(PAGE_MAX, { message: `limit must be at most ${PAGE_MAX}.` })
      .default(PAGE_DEFAULT),
    cursor: z.string().max(400, { message: "cursor is too long." }).optional(),
    parent: z.uuid({ message: "parent must be an argument id." }).optional(),
  })
  .strict();

/** One page of arguments; `nextCursor` null on the last page. */
export interface ArgumentPageDTO {
  propositionId: string;
  parentId: string | null;
  order: ArgumentOrder;
  arguments: (ArgumentDTO & { replyCount: number })[];
  nextCursor: string | null;
}

/** Reads a zod result into the value or a validation error naming the first bad field. */
function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? String(issue.path[0]) : undefined;
  throw validationError(issue.code === "unrecognized_keys" ? `Unknown query parameter: ${issue.keys.join(", ")}.` : issue.message, field).withIssue(issue as ValidationIssue);
}

const seesHiddenPropositions = (viewer: CurrentParticipant | null) => viewer !== null && (viewer.role === "host" || viewer.role === "facilitator");

/**
 * One page of a proposition's arguments (top-level ones, or the direct replies of `parent`), as
 * `viewer` may see them, with each argument's number of direct replies.
 * Cursors are keyset positions (createdAt, id; with the score for `top`): a page never repeats or
 * skips an argument that existed when the first page was read, whatever is posted meanwhile
 * (new arguments appear on later pages of `newest` only when read again from the start). With
 * `top`, a rating change that moves an argument across the cursor may repeat or skip it.
 * @param query raw query (`order`, `limit`, `cursor`, `parent`).
 * @throws AppError validation_failed (bad query), not_found (debate not readable, proposition or parent not in it).
 */
export async function argumentPage(ctx: ServiceContext, debateId: string, propositionId: string, viewer: CurrentParticipant | null, query: unknown): Promise<ArgumentPageDTO> {
  const q = parseQuery(argumentPageQuerySchema, query);
  await requireReadable(ctx, debateId, viewer);
  if (!isUuid(propositionId)) throw notFound("That proposition");
  const prop = await ctx.db.proposition.findUnique({ where: { id: propositionId }, select: { debateId: true, hiddenAt: true } });
  if (!prop || prop.debateId !== debateId || (prop.hiddenAt !== null && !seesHiddenPropositions(viewer))) throw notFound("That proposition");
  const parentId = q.parent ?? null;
  if (parentId) {
    const parent = await ctx.db.argument.findUnique({ where: { id: parentId }, select: { propositionId: true } });
    if (!parent || parent.propositionId !== propositionId) throw notFound("That argument");
  }
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  if (after && q.order === "top" && after.s === undefined) throw validationError("cursor belongs to another order: start again without it.", "cursor");
  const afterAt = after ? new Date(after.c) : null;
  // Keyset in SQL (ids only), rows then loaded with their authors and sources.
  const score = `("upCount" - "downCount")`;
  const where = [`"propositionId" = $1::uuid`, parentId ? `"parentId" = $2::uuid` : `"parentId" IS NULL AND $2::uuid IS NULL`];
  const params: unknown[] = [propositionId, parentId];
  let orderBy: string;
  if (q.order === "oldest") {
    if (after) where.push(`("createdAt", id) > ($3::timestamp, $4::uuid)`);
    orderBy = `"createdAt" ASC, id ASC`;
  } else if (q.order === "newest") {
    if (after) where.push(`("createdAt", id) < ($3::timestamp, $4::uuid)`);
    orderBy = `"createdAt" DESC, id DESC`;
  } else {
    if (after) where.push(`(${score} < $5::int OR (${score} = $5::int AND ("createdAt", id) > ($3::timestamp, $4::uuid)))`);
    orderBy = `${score} DESC, "createdAt" ASC, id ASC`;
  }
  if (after) params.push(afterAt, after.i, ...(q.order === "top" ? [after.s] : []));
  const sql = `SELECT id::text AS id FROM "Argument" WHERE ${where.join(" AND ")} ORDER BY ${orderBy} LIMIT ${q.limit + 1}`;
  const idRows = await ctx.db.$queryRawUnsafe<{ id: string }[]>(sql, ...params);
  const more = idRows.length > q.limit;
  const ids = idRows.slice(0, q.limit).map((r) => r.id);
  // Reply counts by their own grouped read on the parentId index: Prisma's `_count` include joins a
  // count of every argument in the database grouped by parent (EXPLAIN in docs/performance.md).
  const [rows, replies, hidden] = await Promise.all([
    ctx.db.argument.findMany({ where: { id: { in: ids } }, include: argumentInclude }),
    ids.length ? ctx.db.argument.groupBy({ by: ["parentId"], where: { parentId: { in: ids } }, _count: { _all: true } }) : Promise.resolve([]),
    hiddenThreadMembers(ctx.db, debateId),
  ]);
  const replyCounts = new Map(replies.map((r) => [r.parentId, r._count._all]));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const page = ids.map((id) => byId.get(id)!).filter(Boolean);
  const last = page[page.length - 1];
  return {
    propositionId,
    parentId,
    order: q.order,
    arguments: page.map((a) => ({
      ...argumentForViewer(toArgumentDTO(a, { up: a.upCount, down: a.downCount, score: a.upCount - a.downCount }), hidden.has(a.id), viewer),
      replyCount: replyCounts.get(a.id) ?? 0,
    })),
    nextCursor: more && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id, ...(q.order === "top" ? { s: last.upCount - last.downCount } : {}) }) : null,
  };
}

/** Query of `GET /api/debates/:id/search`. */
export const searchQuerySchema = z
  .object({
    q: z.string({ message: "Type the words to search for (q)." }).trim().min(1, { message: "Type the words to search for (q)." }).max(200, { message: "The words to search for (q) may be at most 200 characters long." }),
    limit: z.coerce
      .number({ message: "limit must be a number." })
      .int({ message: "limit must be a whole number." })
      .min(1, { message: "limit must be at least 1." })
      .max(100, { message: "limit must be at most 100." })
      .default(20),
  })
  .strict();

/** What a search found, best match first in each list. */
export interface SearchResultDTO {
  query: string;
  propositions: { id: string; position: number; text: string; rank: number }[];
  arguments: { id: string; propositionId: string; parentId: string | null; stance: "pro" | "con"; snippet: string; rank: number }[];
}

/**
 * Full-text search (PostgreSQL `websearch_to_tsquery`, the `simple` configuration: no stemming,
 * any language) over the debate's proposition texts and the plain-text copies of its arguments
 * (`Argument.bodyText`), GIN-indexed. Deleted arguments are never found; arguments in a hidden
 * thread only by facilitators and their authors; hidden propositions only by facilitators.
 * @param query raw query (`q`, `limit`).
 * @throws AppError validation_failed, not_found (debate not readable).
 */
export async function searchDebate(ctx: ServiceContext, debateId: string, viewer: CurrentParticipant | null, query: unknown): Promise<SearchResultDTO> {
  const q = parseQuery(searchQuerySchema, query);
  await requireReadable(ctx, debateId, viewer);
  const seesHidden = seesHiddenPropositions(viewer);
  // Arguments the viewer may not read are left out in SQL, so that they can neither be found nor shorten the list.
  const hidden = await hiddenThreadMembers(ctx.db, debateId);
  const unreadable = [...hidden].filter(([, authorId]) => !mayViewHidden(viewer, authorId)).map(([id]) => id);
  const [propositions, args] = await Promise.all([
    ctx.db.$queryRaw<{ id: string; position: number; text: string; rank: number }[]>`
      SELECT id::text AS id, position, text, ts_rank(to_tsvector('simple', text), query)::float8 AS rank
      FROM "Proposition", websearch_to_tsquery('simple', ${q.q}) query
      WHERE "debateId" = ${debateId}::uuid AND to_tsvector('simple', text) @@ query AND (${seesHidden} OR "hiddenAt" IS NULL)
      ORDER BY rank DESC, position ASC LIMIT ${q.limit}`,
    ctx.db.$queryRaw<{ id: string; propositionId: string; parentId: string | null; stance: "pro" | "con"; snippet: string; rank: number }[]>`
      SELECT a.id::text AS id, a."propositionId"::text AS "propositionId", a."parentId"::text AS "parentId", a.stance::text AS stance,
        ts_headline('simple', a."bodyText", query, 'StartSel=«, StopSel=», MaxWords=30, MinWords=10') AS snippet,
        ts_rank(to_tsvector('simple', a."bodyText"), query)::float8 AS rank
      FROM "Argument" a JOIN "Proposition" p ON p.id = a."propositionId", websearch_to_tsquery('simple', ${q.q}) query
      WHERE a."debateId" = ${debateId}::uuid AND to_tsvector('simple', a."bodyText") @@ query AND a."deletedAt" IS NULL
        AND (${seesHidden} OR p."hiddenAt" IS NULL) AND NOT (a.id = ANY(${unreadable}::uuid[]))
      ORDER BY rank DESC, a."createdAt" ASC LIMIT ${q.limit}`,
  ]);
  return {
    query: q.q,
    propositions,
    arguments: args
      .map((a) => ({ id: a.id, propositionId: a.propositionId, parentId: a.parentId, stance: a.stance, snippet: a.snippet, rank: a.rank })),
  };
}

/** One argument with the arguments it answers, for a deep link (`/debates/:id/arguments/:argumentId`). */
export interface ArgumentChainDTO {
  propositionId: string;
  /** The argument itself, with its number of direct replies. */
  argument: ArgumentDTO & { replyCount: number };
  /** The arguments it answers, the top-level one first and its parent last (empty for a top-level argument). */
  ancestors: (ArgumentDTO & { replyCount: number })[];
}

/**
 * An argument and its ancestor chain as `viewer` may see them (the rules of `argumentPage`: the
 * debate readable, its proposition not hidden unless facilitator, arguments in a hidden thread
 * withheld unless facilitator or author; a deleted one as a placeholder).
 * @throws AppError not_found (debate not readable, no such argument in it, proposition hidden).
 */
export async function argumentChain(ctx: ServiceContext, debateId: string, argumentId: string, viewer: CurrentParticipant | null): Promise<ArgumentChainDTO> {
  await requireReadable(ctx, debateId, viewer);
  if (!isUuid(argumentId)) throw notFound("That argument");
  // The chain in one recursive query (the argument at depth 0), at most 1,000 levels.
  const chain = await ctx.db.$queryRaw<{ id: string; depth: number }[]>`
    WITH RECURSIVE up AS (
      SELECT id, "parentId", 0 AS depth FROM "Argument" WHERE id = ${argumentId}::uuid AND "debateId" = ${debateId}::uuid
      UNION ALL
      SELECT a.id, a."parentId", up.depth + 1 FROM "Argument" a JOIN up ON a.id = up."parentId" WHERE up.depth < 1000
    )
    SELECT id::text AS id, depth FROM up ORDER BY depth DESC`;
  if (!chain.length) throw notFound("That argument");
  const ids = chain.map((r) => r.id);
  const [rows, hidden] = await Promise.all([
    ctx.db.argument.findMany({ where: { id: { in: ids } }, include: { ...argumentInclude, proposition: { select: { hiddenAt: true } }, _count: { select: { rebuttals: true } } } }),
    hiddenThreadMembers(ctx.db, debateId),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const list = ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
  const target = list[list.length - 1];
  if (!target || target.id !== argumentId) throw notFound("That argument");
  if (target.proposition.hiddenAt !== null && !seesHiddenPropositions(viewer)) throw notFound("That argument");
  const dto = list.map((a) => ({
    ...argumentForViewer(toArgumentDTO(a, { up: a.upCount, down: a.downCount, score: a.upCount - a.downCount }), hidden.has(a.id), viewer),
    replyCount: a._count.rebuttals,
  }));
  return { propositionId: target.propositionId, argument: dto[dto.length - 1]!, ancestors: dto.slice(0, -1) };
}
