/**
 * Representative propositions of each opinion group ("repness").
 *
 * Source: compdemocracy/polis math/src/polismath/math/repness.clj and stats.clj.
 * For a group g and a comment, with na / nd / ns the group's agrees,
 * disagrees and votes seen (unsure included), and the same summed over all
 * other groups' members ("rest"):
 *  - pa = (1 + na) / (2 + ns), pd likewise (`comment-stats`: pseudo-counts);
 *  - pat = prop-test(na, ns) = 2 √(ns + 1) ((na + 1)/(ns + 1) − ½) (stats.clj `prop-test`);
 *  - ra = pa / ((1 + na_rest) / (2 + ns_rest)), rd likewise (`add-comparitive-stats`);
 *  - rat = two-prop-test(na, na_rest, ns, ns_rest): with every count + 1,
 *    π₁ = na/ns, π₂ = na_rest/ns_rest, π̂ = (na + na_rest)/(ns + ns_rest),
 *    z = (π₁ − π₂) / √(π̂ (1 − π̂) (1/ns + 1/ns_rest)), 0 when π̂ = 1 (stats.clj `two-prop-test`);
 *  - significant at 90 % one-sided: z > 1.2816 (stats.clj `z-sig-90?`);
 *  - a comment is representative when (rat and pat are significant) or (rdt and
 *    pdt are) (`passes-by-test?`); its direction is agree when rat > rdt
 *    (`finalize-cmt-stats`); the selection (`select-rep-comments`) keeps the
 *    best-agreed comment first (`beats-best-agr?`), then the others by
 *    ra·rat·pa·pat (`repness-metric`), five at most, agrees before disagrees;
 *    with none significant, the single best by z (`beats-best-by-test?`).
 * Hidden and meta propositions are never representative (`select-rep-comments … mod-out`).
 * One deviation: the best-agreed comment is always reported as "agree" (see `finalize`).
 */
import type { RepresentativeProposition } from "./types";
import type { VoteMatrix } from "./vote-matrix";

/** z of the 90 % one-sided test (stats.clj `z-sig-90?`). */
export const Z_90 = 1.2816;

export const isSignificant90 = (z: number) => z > Z_90;

/** stats.clj `prop-test`: one-proportion z against ½ with a pseudo-count. */
export function propTest(successes: number, trials: number): number {
  const s = successes + 1;
  const n = trials + 1;
  return 2 * Math.sqrt(n) * (s / n - 0.5);
}

/** stats.clj `two-prop-test`, with a pseudo-count added to each of the four numbers. */
export function twoPropTest(successesIn: number, successesOut: number, trialsIn: number, trialsOut: number): number {
  const s1 = successesIn + 1;
  const s2 = successesOut + 1;
  const n1 = trialsIn + 1;
  const n2 = trialsOut + 1;
  const pi1 = s1 / n1;
  const pi2 = s2 / n2;
  const piHat = (s1 + s2) / (n1 + n2);
  if (piHat === 1) return 0;
  return (pi1 - pi2) / Math.sqrt(piHat * (1 - piHat) * (1 / n1 + 1 / n2));
}

/** Per group and column: agrees, disagrees, votes seen. Index g * nCols + c. */
export interface GroupColumnCounts {
  nGroups: number;
  nCols: number;
  agree: Int32Array;
  disagree: Int32Array;
  seen: Int32Array;
}

/**
 * Counts each group's votes per column from the matrix (all columns).
 * @param groupOfRow group index of each row, −1 for rows not clustered
 */
export function countGroupVotes(m: VoteMatrix, groupOfRow: Int32Array, nGroups: number): GroupColumnCounts {
  const size = nGroups * m.nCols;
  const agree = new Int32Array(size);
  const disagree = new Int32Array(size);
  const seen = new Int32Array(size);
  for (let r = 0; r < m.nRows; r++) {
    const g = groupOfRow[r];
    if (g < 0) continue;
    const base = g * m.nCols;
    for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) {
      const at = base + m.colIndex[k];
      seen[at]++;
      if (m.values[k] === 1) agree[at]++;
      else if (m.values[k] === -1) disagree[at]++;
    }
  }
  return { nGroups, nCols: m.nCols, agree, disagree, seen };
}

/** repness.clj `comment-stats` + `add-comparitive-stats` for one group and column. */
export interface CommentGroupStats {
  col: number;
  na: number;
  nd: number;
  ns: number;
  pa: number;
  pd: number;
  pat: number;
  pdt: number;
  ra: number;
  rd: number;
  rat: number;
  rdt: number;
}

export function commentGroupStats(counts: GroupColumnCounts, g: number, col: number): CommentGroupStats {
  const { nCols, nGroups } = counts;
  const at = g * nCols + col;
  const na = counts.agree[at];
  const nd = counts.disagree[at];
  const ns = counts.seen[at];
  let naRest = 0;
  let ndRest = 0;
  let nsRest = 0;
  for (let h = 0; h < nGroups; h++) {
    if (h === g) continue;
    naRest += counts.agree[h * nCols + col];
    ndRest += counts.disagree[h * nCols + col];
    nsRest += counts.seen[h * nCols + col];
  }
  const pa = (1 + na) / (2 + ns);
  const pd = (1 + nd) / (2 + ns);
  return {
    col,
    na,
    nd,
    ns,
    pa,
    pd,
    pat: propTest(na, ns),
    pdt: propTest(nd, ns),
    ra: pa / ((1 + naRest) / (2 + nsRest)),
    rd: pd / ((1 + ndRest) / (2 + nsRest)),
    rat: twoPropTest(na, naRest, ns, nsRest),
    rdt: twoPropTest(nd, ndRest, ns, nsRest),
  };
}

/** repness.clj `finalize-cmt-stats`: agree when rat > rdt, else disagree. */
interface Finalized {
  col: number;
  direction: "agree" | "disagree";
  nSuccess: number;
  nTrials: number;
  pSuccess: number;
  pTest: number;
  repness: number;
  /** Polis stores it as a (single-precision) float. */
  repnessTest: number;
  bestAgree: boolean;
  na: number;
  nd: number;
}

function finalize(s: CommentGroupStats, bestAgree = false): Finalized {
  // Deviation: Polis finalizes its best-agreed comment with the same rat > rdt test, which calls
  // a comment everyone agreed with (rat = rdt = 0) "disagree"; we keep the best-agreed one as agree.
  const agree = bestAgree || s.rat > s.rdt;
  return {
    col: s.col,
    direction: agree ? "agree" : "disagree",
    nSuccess: agree ? s.na : s.nd,
    nTrials: s.ns,
    pSuccess: agree ? s.pa : s.pd,
    pTest: agree ? s.pat : s.pdt,
    repness: agree ? s.ra : s.rd,
    repnessTest: Math.fround(agree ? s.rat : s.rdt),
    bestAgree,
    na: s.na,
    nd: s.nd,
  };
}

const passesByTest = (s: CommentGroupStats) => (isSignificant90(s.rat) && isSignificant90(s.pat)) || (isSignificant90(s.rdt) && isSignificant90(s.pdt));

const beatsBestByTest = (s: CommentGroupStats, bestZ: number | null) => bestZ === null || Math.max(s.rat, s.rdt) > bestZ;

function beatsBestAgree(s: CommentGroupStats, best: CommentGroupStats | null): boolean {
  if (s.na === 0 && s.nd === 0) return false;
  if (best && best.ra > 1.0) return s.ra * s.rat * s.pa * s.pat > best.ra * best.rat * best.pa * best.pat;
  if (best) return s.pa * s.pat > best.pa * best.pat;
  return isSignificant90(s.pat) || (s.ra > 1.0 && s.pa > 0.5);
}

const repnessMetric = (f: Finalized) => f.repness * f.repnessTest * f.pSuccess * f.pTest;

/**
 * Polis `select-rep-comments` for one group.
 * @param columns the columns eligible (included ones), in column order
 * @returns at most 5 columns with their finalized stats
 */
export function selectRepresentative(counts: GroupColumnCounts, g: number, columns: readonly number[]): Finalized[] {
  const sufficient: Finalized[] = [];
  let best: Finalized | null = null;
  let bestAgree: CommentGroupStats | null = null;
  for (const col of columns) {
    const s = commentGroupStats(counts, g, col);
    if (passesByTest(s)) sufficient.push(finalize(s));
    if (sufficient.length === 0 && beatsBestByTest(s, best ? best.repnessTest : null)) best = finalize(s);
    if (beatsBestAgree(s, bestAgree)) bestAgree = s;
  }
  const head = bestAgree ? finalize(bestAgree, true) : null;
  if (sufficient.length === 0) return head ? [head] : best ? [best] : [];
  const sorted = sufficient
    .filter((f) => !head || f.col !== head.col)
    .map((f, i) => ({ f, i }))
    .sort((a, b) => repnessMetric(b.f) - repnessMetric(a.f) || a.i - b.i)
    .map(({ f }) => f);
  const top = (head ? [head, ...sorted] : sorted).slice(0, 5);
  return [...top.filter((f) => f.direction === "agree"), ...top.filter((f) => f.direction === "disagree")];
}

/** Converts a selection to the public shape. */
export function toRepresentative(f: Finalized, propositionId: string): RepresentativeProposition {
  return {
    propositionId,
    direction: f.direction,
    agreeShare: f.nTrials > 0 ? f.na / f.nTrials : 0,
    disagreeShare: f.nTrials > 0 ? f.nd / f.nTrials : 0,
    z: f.repnessTest,
    votes: f.nTrials,
    ratio: f.repness,
    bestAgree: f.bestAgree,
  };
}
