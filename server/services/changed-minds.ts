/**
 * What changed minds (issue 13; docs/decisions/0072-what-changed-minds.md): recording reads of
 * arguments (operation `recordReads`, cheap batched events, the first read per participant,
 * argument and kind kept) and the aggregated ranking of "arguments that moved people" with a
 * participant's own path, for the results page (server/domain/changed-minds.ts does the counting).
 */
import type { CurrentParticipant } from "../../app/shared/contract";
import { unauthenticated, validationError } from "../../app/shared/errors";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";
import { rankMovingArguments, pathOf, type Exposure, type MindChange } from "../domain/changed-minds";
import { authorize } from "./access";
import { runOperation } from "./changes";
import type { ServiceContext } from "./context";

/**
 * Records a batch of reads (POST /api/debates/:id/reads, operation `recordReads`); reads already
 * recorded (same participant, argument and kind) are left as they were, so repeats cost nothing.
 * @param input `{ opId?, reads: [{ argumentId, kind: "viewed" | "opened", msAgo: 0–120000 }] (1–50) }`.
 * @returns `{ recorded }`: how many reads were new.
 * @throws AppError unauthenticated; forbidden (a removed participant); validation_failed (an argument that is not this debate's).
 */
export async function recordReads(ctx: ServiceContext, actor: CurrentParticipant | null, input: OperationInput<"recordReads">): Promise<{ recorded: number }> {
  if (!actor) throw unauthenticated();
  const debateId = actor.debateId;
  authorize(actor, OPERATIONS.recordReads.action, { status: "published" });
  const ids = [...new Set(input.reads.map((r) => r.argumentId))];
  return runOperation(ctx, "recordReads", actor, input.opId, async (tx) => {
    const found = await tx.argument.count({ where: { debateId, id: { in: ids } } });
    if (found !== ids.length) throw validationError("Reads can only be of this debate's arguments: one of them is not.", "reads");
    const now = Date.now();
    const { count } = await tx.argumentRead.createMany({
      data: input.reads.map((r) => ({ debateId, participantId: actor.id, argumentId: r.argumentId, kind: r.kind, at: new Date(now - r.msAgo) })),
      skipDuplicates: true,
    });
    return { recorded: count };
  });
}

/** An argument that moved people, as the results page shows it. */
export interface MovingArgumentDTO {
  argumentId: string;
  propositionId: string;
  excerpt: string;
  author: string;
  changedMinds: number;
}

/** What changed minds in a debate: aggregated for everyone, the asking participant's own path. */
export interface ChangedMindsDTO {
  /** Participants whose motion vote or a proposition vote changed. */
  changedParticipants: number;
  /** Most changed minds first (at most 10; arguments with none left out). */
  arguments: MovingArgumentDTO[];
  /** The asker's own path (null for visitors and for those whose mind did not change). */
  myPath: { argumentId: string; kind: "viewed" | "opened" | "rated"; at: string; excerpt: string }[] | null;
}

const excerptOf = (text: string) => {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 200 ? `${t.slice(0, 199).trimEnd()}…` : t;
};

/**
 * What changed minds in `debateId` (call once the asker may read the results): changes from the
 * motion polls and from proposition votes against their first value, exposures from reads and
 * ratings, of participants not removed; hidden and deleted arguments are left out.
 */
export async function changedMinds(ctx: ServiceContext, debateId: string, actor: CurrentParticipant | null): Promise<ChangedMindsDTO> {
  const alive = { removedAt: null };
  const [motionVotes, votes, reads, ratings, args] = await Promise.all([
    ctx.db.motionVote.findMany({ where: { debateId, participant: alive }, select: { participantId: true, stage: true, value: true, updatedAt: true } }),
    // Only the changed votes (value ≠ firstValue, compared in SQL): on a Polis-scale debate reading all 500,000 to keep the few changed took 2.4 s (bench:polis).
    ctx.db.$queryRaw<{ participantId: string; propositionId: string; updatedAt: Date }[]>`
      SELECT v."participantId"::text AS "participantId", v."propositionId"::text AS "propositionId", v."updatedAt"
      FROM "Vote" v
      JOIN "Proposition" p ON p.id = v."propositionId"
      JOIN "Participant" pa ON pa.id = v."participantId"
      WHERE p."debateId" = ${debateId}::uuid AND v."firstValue" IS NOT NULL AND v.value <> v."firstValue" AND pa."removedAt" IS NULL`,
    ctx.db.argumentRead.findMany({ where: { debateId, participant: alive }, select: { participantId: true, argumentId: true, kind: true, at: true } }),
    ctx.db.rating.findMany({ where: { argument: { debateId }, participant: alive }, select: { participantId: true, argumentId: true, createdAt: true } }),
    ctx.db.argument.findMany({ where: { debateId, deletedAt: null, hiddenAt: null }, select: { id: true, propositionId: true, bodyText: true, author: { select: { displayName: true } } } }),
  ]);
  const changes: MindChange[] = votes.map((v) => ({ participantId: v.participantId, at: v.updatedAt.getTime(), propositionId: v.propositionId }));
  const before = new Map(motionVotes.filter((m) => m.stage === "before").map((m) => [m.participantId, m.value]));
  for (const m of motionVotes) if (m.stage === "after" && before.has(m.participantId) && before.get(m.participantId) !== m.value) changes.push({ participantId: m.participantId, at: m.updatedAt.getTime(), propositionId: null });
  const argument = new Map(args.map((a) => [a.id, a]));
  const exposures: Exposure[] = [
    ...reads.map((r) => ({ participantId: r.participantId, argumentId: r.argumentId, kind: r.kind, at: r.at.getTime() })),
    ...ratings.map((r) => ({ participantId: r.participantId, argumentId: r.argumentId, kind: "rated" as const, at: r.createdAt.getTime() })),
  ].flatMap((e) => {
    const a = argument.get(e.argumentId);
    return a ? [{ ...e, propositionId: a.propositionId }] : [];
  });
  const ranked = rankMovingArguments(changes, exposures).slice(0, 10);
  const changedParticipants = new Set(changes.map((c) => c.participantId)).size;
  const mine = actor && actor.debateId === debateId && changes.some((c) => c.participantId === actor.id) ? pathOf(actor.id, changes, exposures) : null;
  return {
    changedParticipants,
    arguments: ranked.map((m) => {
      const a = argument.get(m.argumentId)!;
      return { argumentId: a.id, propositionId: a.propositionId, excerpt: excerptOf(a.bodyText), author: a.author.displayName, changedMinds: m.changedMinds };
    }),
    myPath: mine ? mine.map((s) => ({ argumentId: s.argumentId, kind: s.kind, at: new Date(s.at).toISOString(), excerpt: excerptOf(argument.get(s.argumentId)!.bodyText) })) : null,
  };
}
