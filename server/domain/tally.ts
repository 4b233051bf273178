/**
 * Tally derivation. Tallies are never stored: they are counted from the current
 * Vote and Rating rows (one row per participant per item, enforced by unique
 * constraints), so they cannot drift from the votes.
 */
import type { RatingTally, RatingValue, VoteTally, VoteValue } from "../../app/shared/contract";

export const emptyVoteTally = (): VoteTally => ({ agree: 0, disagree: 0, unsure: 0, total: 0 });
export const emptyRatingTally = (): RatingTally => ({ up: 0, down: 0, score: 0 });

/**
 * Builds a vote tally from grouped counts, e.g. the rows of
 * `SELECT value, count(*) … GROUP BY value`.
 * @param counts `{ value, count }` rows; counts must be non-negative integers.
 * @throws RangeError on a negative or fractional count (a corrupt input, never clamped).
 */
export function voteTallyFromCounts(counts: ReadonlyArray<{ value: VoteValue; count: number }>): VoteTally {
  const tally = emptyVoteTally();
  for (const { value, count } of counts) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`A vote count must be a non-negative integer, got ${count}.`);
    tally[value] += count;
    tally.total += count;
  }
  return tally;
}

/**
 * Builds a rating tally from grouped counts; score = up − down.
 * @throws RangeError on a negative or fractional count.
 */
export function ratingTallyFromCounts(counts: ReadonlyArray<{ value: RatingValue; count: number }>): RatingTally {
  const tally = emptyRatingTally();
  for (const { value, count } of counts) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`A rating count must be a non-negative integer, got ${count}.`);
    tally[value] += count;
  }
  tally.score = tally.up - tally.down;
  return tally;
}
