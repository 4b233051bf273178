/**
 * Votes on propositions: agree, disagree or unsure; one current vote per
 * participant per proposition (unique constraint), changeable or clearable.
 */
import type { MyChoicesDTO, VoteTalliedPayload, VoteTally } from "../../app/shared/contract";
import { storedOperation } from "./changes";
import { authorize } from "./access";
import { publish } from "./publish";
import { forgetPropositionFacts, propositionFacts, stateOfFacts } from "./proposition-facts";
import { debateRateRule } from "./debate-rate-limits";
import { isUniqueViolation } from "../db";
import { AppError, ErrorCode } from "../../app/shared/errors";
import { OPERATIONS, type OperationInput } from "../../app/shared/operations";
import type { ServiceContext } from "./context";
import type { CurrentParticipant } from "../../app/shared/contract";
import { resultsVisibleTo } from "./debates";

/** What steelman_cast_vote returns: the acknowledgement, plus the tally and version to broadcast when it was withheld. */
type VoteStatement = { stale: true } | (VoteTalliedPayload & { fullTally: VoteTally; fullVersion: number });

/** Attempts of a vote whose cached facts turned out stale (changed on another node) before it answers `busy`. */
const STALE_ATTEMPTS = 3;

/**
 * Sets or clears (value null) the actor's vote on a proposition, at most once
 * per opId, in one SQL statement (docs/decisions/0023-one-statement-votes.md):
 * `steelman_cast_vote` checks the cached facts the permission was decided on,
 * upserts (or deletes) the vote, whose trigger moves the proposition's counters
 * and bumps its tally version under the proposition's row lock, and stores the
 * opId with its result. The returned tally is exact for its version, and
 * clients keep the highest version, whatever order broadcasts arrive in.
 * A repeated opId hits the Operation primary key: the statement rolls back and
 * the stored result is answered (nothing is written or published again).
 * @param input `{ opId?, propositionId, value: "agree" | "disagree" | "unsure" | null }`.
 * @throws AppError validation_failed, not_found, forbidden, rate_limited; busy when the facts kept changing.
 */
export async function castVote(ctx: ServiceContext, actor: CurrentParticipant, input: OperationInput<"castVote">): Promise<VoteTalliedPayload> {
  const { opId, propositionId, value } = input;
  const { action, storedAs, limit } = OPERATIONS.castVote;
  let rule: Awaited<ReturnType<typeof debateRateRule>> | undefined;
  for (let attempt = 1; attempt <= STALE_ATTEMPTS; attempt++) {
    const facts = await propositionFacts(ctx, actor.debateId, propositionId);
    const state = stateOfFacts(facts);
    try {
      authorize(actor, action, state);
    } catch (refusal) {
      // A refusal is confirmed on fresh facts: the cached ones may predate an unlock made on another node.
      if (!facts.cached) throw refusal;
      forgetPropositionFacts(actor.debateId);
      continue;
    }
    // While the phase hides results (app/shared/phases.ts), a participant's acknowledgement and tabs get the tally withheld (version 0).
    const hidden = !resultsVisibleTo(actor, state);
    if (rule === undefined) {
      // A new operation takes a point of the participant's rate limit; a replay gives it back below.
      rule = limit ? await debateRateRule(ctx, limit, actor.debateId) : null;
      if (limit) await ctx.limits.consume(limit, actor.id, rule);
    }
    let row: VoteStatement;
    try {
      [{ r: row }] = (await ctx.db.$queryRaw<{ r: VoteStatement }[]>`SELECT steelman_cast_vote(${opId ?? null}::uuid, ${storedAs}, ${actor.id}::uuid, ${actor.debateId}::uuid, ${propositionId}::uuid, ${value}::"VoteValue", ${facts.status}, ${facts.format}, ${facts.phaseIndex}::int, ${facts.resultsShown}, ${facts.locked}, ${hidden}) AS r`) as [{ r: VoteStatement }];
    } catch (error) {
      if (opId && isUniqueViolation(error)) {
        const earlier = await storedOperation<VoteTalliedPayload>(ctx, opId, actor.id, storedAs);
        if (earlier) {
          if (limit) await ctx.limits.reward(limit, actor.id, rule);
          return earlier.result;
        }
      }
      throw error;
    }
    if ("stale" in row) {
      forgetPropositionFacts(actor.debateId);
      continue;
    }
    const { fullTally, fullVersion, ...ack } = row;
    const payload: VoteTalliedPayload = { ...ack, tally: fullTally, version: fullVersion };
    await publish(ctx, [{ kind: "voteTally", debateId: actor.debateId, payload, ...(hidden ? { hidden: { ownCopy: ack } } : {}) }]);
    return ack;
  }
  throw new AppError(ErrorCode.busy, "This debate is changing right now; your vote will be sent again.", undefined, 1).withMessageKey("errors.voteBusy");
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
