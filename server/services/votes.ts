/**
 * Votes on propositions: agree, disagree or unsure; one current vote per
 * participant per proposition (unique constraint), changeable or clearable.
 */
import type { MyChoicesDTO, VoteTalliedPayload } from "../../app/shared/contract";
import { castVoteSchema, ServerEvent } from "../../app/shared/contract";
import { forbidden, notFound } from "../../app/shared/errors";
import { voteTallyFromCounts } from "../domain/tally";
import type { ServiceContext } from "./context";
import { KeyedQueue } from "./keyed-queue";
import type { AuthenticatedParticipant } from "./participants";
import { parseInput } from "./validate";

const voteQueue = new KeyedQueue();

/**
 * Sets or clears (value null) the actor's vote on a proposition. The write and
 * the recount run in one transaction holding the proposition's row lock, and
 * per proposition one at a time in this process, so the tally returned and
 * broadcast (vote:tallied) is exact and broadcasts arrive in commit order.
 * @param input `{ propositionId, value: "agree" | "disagree" | "unsure" | null }`.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function castVote(ctx: ServiceContext, actor: AuthenticatedParticipant, input: unknown): Promise<VoteTalliedPayload> {
  const { propositionId, value } = parseInput(castVoteSchema, input);
  if (actor.role === "observer") throw forbidden("Observers can read the debate but not vote.");
  const proposition = await ctx.db.proposition.findUnique({ where: { id: propositionId }, select: { debateId: true, debate: { select: { status: true } } } });
  if (!proposition || proposition.debateId !== actor.debateId) throw notFound("That proposition");
  if (proposition.debate.status !== "published") throw forbidden("This debate is not open yet: the facilitator has not published it.");
  return voteQueue.run(propositionId, async () => {
    const tally = await ctx.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Proposition" WHERE id = ${propositionId}::uuid FOR UPDATE`;
      if (value === null) {
        await tx.vote.deleteMany({ where: { participantId: actor.id, propositionId } });
      } else {
        await tx.vote.upsert({
          where: { participantId_propositionId: { participantId: actor.id, propositionId } },
          create: { participantId: actor.id, propositionId, value },
          update: { value },
        });
      }
      const groups = await tx.vote.groupBy({ by: ["value"], where: { propositionId }, _count: { _all: true } });
      return voteTallyFromCounts(groups.map((g) => ({ value: g.value, count: g._count._all })));
    });
    const payload: VoteTalliedPayload = { propositionId, tally, participantId: actor.id, value };
    ctx.publisher.publish(actor.debateId, ServerEvent.voteTallied, payload);
    return payload;
  });
}

/** The participant's own current votes and ratings in their debate. */
export async function myChoices(ctx: ServiceContext, actor: AuthenticatedParticipant | null): Promise<MyChoicesDTO> {
  if (!actor) return { votes: {}, ratings: {} };
  const [votes, ratings] = await Promise.all([
    ctx.db.vote.findMany({ where: { participantId: actor.id }, select: { propositionId: true, value: true } }),
    ctx.db.rating.findMany({ where: { participantId: actor.id }, select: { argumentId: true, value: true } }),
  ]);
  return {
    votes: Object.fromEntries(votes.map((v) => [v.propositionId, v.value])),
    ratings: Object.fromEntries(ratings.map((r) => [r.argumentId, r.value])),
  };
}
