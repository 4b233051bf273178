/**
 * Votes on propositions: agree, disagree or unsure; one current vote per
 * participant per proposition (unique constraint), changeable or clearable.
 */
import type { MyChoicesDTO, VoteTalliedPayload } from "../../app/shared/contract";
import { castVoteSchema } from "../../app/shared/contract";
import { voteTallyFromCounts } from "../domain/tally";
import { runOnce } from "./changes";
import { Action, requireAllowed } from "./access";
import type { ServiceContext } from "./context";
import type { CurrentParticipant } from "../../app/shared/contract";
import { parseInput } from "./validate";

/**
 * Sets or clears (value null) the actor's vote on a proposition, at most once
 * per opId. One transaction bumps the proposition's tally version (taking its
 * row lock, so vote changes on one proposition are serial), writes the vote
 * and recounts: the returned tally is exact for its version, and clients keep
 * the highest version, whatever order broadcasts arrive in.
 * @param input `{ opId?, propositionId, value: "agree" | "disagree" | "unsure" | null }`.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function castVote(ctx: ServiceContext, actor: CurrentParticipant, input: unknown): Promise<VoteTalliedPayload> {
  const { opId, propositionId, value } = parseInput(castVoteSchema, input);
  await requireAllowed(ctx, actor, Action.castVote, { propositionId });
  const { result, replayed } = await runOnce(ctx, { opId, participantId: actor.id, kind: "vote.cast", limit: "vote", debateId: actor.debateId }, async (tx): Promise<VoteTalliedPayload> => {
    const [bumped] = await tx.$queryRaw<{ tallyVersion: number }[]>`UPDATE "Proposition" SET "tallyVersion" = "tallyVersion" + 1 WHERE id = ${propositionId}::uuid RETURNING "tallyVersion"`;
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
    return { propositionId, tally: voteTallyFromCounts(groups.map((g) => ({ value: g.value, count: g._count._all }))), version: bumped!.tallyVersion, participantId: actor.id, value };
  });
  if (!replayed) ctx.publisher.voteTally(actor.debateId, result);
  return result;
}

/** The participant's own current votes and ratings in their debate. */
export async function myChoices(ctx: ServiceContext, actor: CurrentParticipant | null): Promise<MyChoicesDTO> {
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
