/**
 * The frame of a big debate (issue 14, docs/decisions/0026-debate-page-frame.md): what the debate
 * page and `GET /api/debates/:id` send first instead of every argument. Small debates (at most
 * `FRAME_INLINE_ALL` arguments) are still sent whole (`complete: true`); bigger ones carry the
 * argument counts per proposition and the first page (oldest first) of the first
 * `FRAME_INLINE_PROPOSITIONS` visible propositions, the rest being read a page at a time
 * (./argument-pages.ts).
 */
import type { ArgumentDTO, CurrentParticipant, DebateFrameDTO } from "../../app/shared/contract";
import { hiddenThreadIds, isCounted } from "../../app/shared/moderation";
import { argumentPage } from "./argument-pages";
import type { ServiceContext } from "./context";

/** A debate with at most this many arguments (any state, any depth) is sent whole. */
export const FRAME_INLINE_ALL = 300;
/** In a bigger one, the first page of this many propositions is inlined… */
export const FRAME_INLINE_PROPOSITIONS = 3;
/** …of this many top-level arguments each (replies are read on demand). */
export const FRAME_INLINE_PAGE = 20;

/** How many arguments the debate has (any state), to choose between whole and frame. */
export async function countDebateArguments(ctx: ServiceContext, debateId: string): Promise<number> {
  return ctx.db.argument.count({ where: { debateId } });
}

/** The frame of a debate sent whole: counts from the arguments themselves (what the columns show). */
export function completeFrame(propositionIds: readonly string[], args: readonly ArgumentDTO[]): DebateFrameDTO {
  const hidden = hiddenThreadIds([...args]);
  const counts: DebateFrameDTO["counts"] = Object.fromEntries(propositionIds.map((id) => [id, { pro: 0, con: 0, all: 0 }]));
  for (const a of args) {
    const c = counts[a.propositionId];
    if (!c) continue;
    if (!a.deleted) c.all++;
    if (!a.parentId && isCounted(a, hidden)) c[a.stance]++;
  }
  return { complete: true, counts, pages: {}, replyCounts: {} };
}

/**
 * The frame of a big debate as `viewer` may see it, and the inlined arguments.
 * counts: per visible proposition, top-level arguments neither deleted nor hidden by stance (the
 * column heads), and `all` arguments at any depth not deleted.
 * @param propositionIds the visible propositions, in order.
 */
export async function partialFrame(ctx: ServiceContext, debateId: string, propositionIds: readonly string[], viewer: CurrentParticipant | null): Promise<{ frame: DebateFrameDTO; arguments: ArgumentDTO[] }> {
  const rows = await ctx.db.$queryRaw<{ propositionId: string; stance: "pro" | "con"; top: number; all: number }[]>`
    SELECT "propositionId"::text AS "propositionId", stance::text AS stance,
      (count(*) FILTER (WHERE "parentId" IS NULL AND "deletedAt" IS NULL AND "hiddenAt" IS NULL))::int AS top,
      (count(*) FILTER (WHERE "deletedAt" IS NULL))::int AS all
    FROM "Argument" WHERE "debateId" = ${debateId}::uuid GROUP BY 1, 2`;
  const counts: DebateFrameDTO["counts"] = Object.fromEntries(propositionIds.map((id) => [id, { pro: 0, con: 0, all: 0 }]));
  for (const r of rows) {
    const c = counts[r.propositionId];
    if (!c) continue;
    c[r.stance] += r.top;
    c.all += r.all;
  }
  const pages: DebateFrameDTO["pages"] = {};
  const replyCounts: DebateFrameDTO["replyCounts"] = {};
  const inlined: ArgumentDTO[] = [];
  const first = propositionIds.slice(0, FRAME_INLINE_PROPOSITIONS);
  const answers = await Promise.all(first.map((pid) => argumentPage(ctx, debateId, pid, viewer, { order: "oldest", limit: String(FRAME_INLINE_PAGE) })));
  for (const page of answers) {
    pages[page.propositionId] = { order: "oldest", nextCursor: page.nextCursor };
    for (const { replyCount, ...a } of page.arguments) {
      replyCounts[a.id] = replyCount;
      inlined.push(a);
    }
  }
  return { frame: { complete: false, counts, pages, replyCounts }, arguments: inlined };
}
