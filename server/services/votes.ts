/**
 * Votes on propositions: agree, disagree or unsure; one current vote per
 * participant per proposition (unique constraint), changeable or clearable.
 */
import type { MyChoicesDTO, VoteTalliedPayload } from "../../app/shared/contract";
import { voteTallyFromCounts } from "../domain/tally";
import { runOperation } from "./changes";
import { requireAllowed } from "./access";
import { publishAfterCommit } from "./publish";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";
import type { ServiceContext } from "./context";
import type { CurrentParticipant } from "../../app/shared/contract";
import { emptyVoteTally } from "../domain/tally";
import { resultsVisibleTo } from "./debates";

/**
 * Sets or clears (value null) the actor's vote on a proposition, at most once
 * per opId. One transaction bumps the proposition's tally version (taking its
 * row lock, so vote changes on one proposition are serial), writes the vote
 * and recounts: the returned tally is exact for its version, and clients keep
 * the highest version, whatever order broadcasts arrive in.
 * @param input `{ opId?, propositionId, value: "agree" | "disagree" | "unsure" | null }`.
 * @throws AppError validation_failed, not_found, forbidden.
 */
export async function castVote(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"castVote">): Promise<VoteTalliedPayload> {
  const { opId, propositionId, value } = input;
  const state = await requireAllowed(ctx, actor, OPERATIONS.castVote.action, { propositionId });
  // While the phase hides results (app/shared/phases.ts), a participant's acknowledgement and tabs get the tally withheld (version 0).
  const hidden = !resultsVisibleTo(actor, state);
  const result = await runOperation(ctx, "castVote", actor, opId, async (tx): Promise<VoteTalliedPayload> => {
    const [bumped] = await tx.$queryRaw<{ tallyVersion: number }[]>`UPDATE "Proposition" SET "tallyVersion" = "tallyVersion" + 1 WHERE id = ${propositionId}::uuid RETURNING "tallyVersion"`;
    if (value === null) {
      await tx.vote.deleteMany({ where: { participantId: actor.id, propositionId } });
    } else {
      await tx.vote.upsert({
        where: { participantId_propositionId: { participantId: actor.id, propositionId } },
        create: { participantId: actor.id, propositionId, value, firstValue: value },
        update: { value },
      });
    }
    const groups = await tx.vote.groupBy({ by: ["value"], where: { propositionId }, _count: { _all: true } });
    const payload: VoteTalliedPayload = { propositionId, tally: voteTallyFromCounts(groups.map((g) => ({ value: g.value, count: g._count._all }))), version: bumped!.tallyVersion, participantId: actor.id, value };
    const ownCopy = { ...payload, tally: emptyVoteTally(), version: 0 };
    publishAfterCommit(tx, { kind: "voteTally", debateId: actor.debateId, payload, ...(hidden ? { hidden: { ownCopy } } : {}) });
    return hidden ? ownCopy : payload;
  });
  return result;
}

/** The participant's own current votes and ratings in their debate. */
export async function myChoices(ctx: ServiceContext, actor: CurrentParticipant | null): Promise<MyChoicesDTO> {
  if (!actor) return { votes: {}, ratings: {} };
  const [votes, ratings, motion] = await Promise.all([
    ctx.db.vote.findMany({ where: { participantId: actor.id }, select: { propositionId: true, value: true } }),
    ctx.db.rating.findMany({ where: { participantId: actor.id }, select: { argumentId: true, value: true } }),
    ctx.db.motionVote.findMany({ where: { participantId: actor.id }, select: { stage: true, value: true } }),
  ]);
  return {
    votes: Object.fromEntries(votes.map((v) => [v.propositionId, v.value])),
    ratings: Object.fromEntries(ratings.map((r) => [r.argumentId, r.value])),
    ...(motion.length ? { motion: Object.fromEntries(motion.map((m) => [m.stage, m.value])) } : {}),
  };
}
