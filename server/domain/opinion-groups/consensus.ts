/**
 * What the groups share and where they split.
 *
 * - Group-informed consensus (source: compdemocracy/polis
 *   math/src/polismath/math/conversation.clj, `:group-aware-consensus`): for a
 *   comment, the product over groups g of (A_g + 1) / (S_g + 2), A_g the
 *   group's agrees and S_g its votes seen (unsure included), counted on the raw
 *   vote matrix (`:votes-base`, `group-votes`). It is high only when every
 *   group agrees; the +1 / +2 act as a prior of ½ for a group that has not voted.
 *   We compute the same product with disagrees for consensus against a proposition.
 * - Consensus list (our rule, as issue 11 asks): the included propositions that
 *   a majority of every group agrees with (A_g > S_g / 2 in each group, S_g ≥ 1),
 *   or that a majority of every group rejects (D_g > S_g / 2), ordered by the
 *   group-informed consensus of that direction.
 * - Divisive (our rule): one group's majority agrees (A > S/2) and another's
 *   disagrees (D > S/2), and the difference between the most-agreeing and the
 *   most-disagreeing group is significant by Polis's two-proportion test at 90 %
 *   one-sided (stats.clj `two-prop-test`, z > 1.2816, as repness.clj uses it);
 *   ordered by the spread of agree shares, then z.
 */
import { isSignificant90, twoPropTest, type GroupColumnCounts } from "./repness";
import type { ConsensusProposition, DivisiveProposition, GroupVotes } from "./types";

/**
 * Polis's group-aware consensus of column `col`.
 * @param direction "agree" (Polis's quantity) or "disagree" (the same with disagrees)
 */
export function groupInformedConsensus(counts: GroupColumnCounts, col: number, direction: "agree" | "disagree" = "agree"): number {
  const numerator = direction === "agree" ? counts.agree : counts.disagree;
  let product = 1;
  for (let g = 0; g < counts.nGroups; g++) {
    const at = g * counts.nCols + col;
    product *= (numerator[at] + 1) / (counts.seen[at] + 2);
  }
  return product;
}

/** One column's votes per group. */
export function groupVotes(counts: GroupColumnCounts, col: number): GroupVotes[] {
  const out: GroupVotes[] = [];
  for (let g = 0; g < counts.nGroups; g++) {
    const at = g * counts.nCols + col;
    const votes = counts.seen[at];
    out.push({
      groupId: g,
      agree: counts.agree[at],
      disagree: counts.disagree[at],
      votes,
      agreeShare: votes > 0 ? counts.agree[at] / votes : 0,
      disagreeShare: votes > 0 ? counts.disagree[at] / votes : 0,
    });
  }
  return out;
}

/**
 * Propositions a majority of every group agrees with or rejects.
 * @param columns eligible columns (included)
 * @param propositionIdOf column → proposition id
 */
export function consensusPropositions(counts: GroupColumnCounts, columns: readonly number[], propositionIdOf: (col: number) => string): ConsensusProposition[] {
  if (counts.nGroups === 0) return [];
  const out: ConsensusProposition[] = [];
  for (const col of columns) {
    const groups = groupVotes(counts, col);
    for (const direction of ["agree", "disagree"] as const) {
      const every = groups.every((g) => g.votes > 0 && (direction === "agree" ? g.agree : g.disagree) * 2 > g.votes);
      if (every) out.push({ propositionId: propositionIdOf(col), direction, groupInformedConsensus: groupInformedConsensus(counts, col, direction), groups });
    }
  }
  return out.sort((a, b) => b.groupInformedConsensus - a.groupInformedConsensus);
}

/** Propositions on which one group's majority agrees and another's disagrees, significantly. */
export function divisivePropositions(counts: GroupColumnCounts, columns: readonly number[], propositionIdOf: (col: number) => string): DivisiveProposition[] {
  if (counts.nGroups < 2) return [];
  const out: DivisiveProposition[] = [];
  for (const col of columns) {
    const groups = groupVotes(counts, col);
    let agreeing: GroupVotes | null = null;
    let disagreeing: GroupVotes | null = null;
    for (const g of groups) {
      if (g.votes === 0) continue;
      if (!agreeing || g.agreeShare > agreeing.agreeShare) agreeing = g;
      if (!disagreeing || g.disagreeShare > disagreeing.disagreeShare) disagreeing = g;
    }
    if (!agreeing || !disagreeing || agreeing === disagreeing) continue;
    if (!(agreeing.agree * 2 > agreeing.votes && disagreeing.disagree * 2 > disagreeing.votes)) continue;
    const z = twoPropTest(agreeing.agree, disagreeing.agree, agreeing.votes, disagreeing.votes);
    if (!isSignificant90(z)) continue;
    out.push({ propositionId: propositionIdOf(col), spread: agreeing.agreeShare - disagreeing.agreeShare, z, groups });
  }
  return out.sort((a, b) => b.spread - a.spread || b.z - a.z);
}
