/**
 * The pieces of Polis's method against values worked out by hand on small
 * matrices (the derivations are in the comments).
 */
import { describe, expect, it } from "vitest";
import { chooseGroups, inConversationRows, maxGroupCount } from "../../server/domain/opinion-groups/clustering";
import { consensusPropositions, divisivePropositions, groupInformedConsensus } from "../../server/domain/opinion-groups/consensus";
import { kmeans2d, sameClustering, silhouette, type Cluster2d } from "../../server/domain/opinion-groups/kmeans";
import { placePropositions, powerIterationPca, projectParticipants } from "../../server/domain/opinion-groups/pca";
import { commentGroupStats, countGroupVotes, propTest, selectRepresentative, twoPropTest } from "../../server/domain/opinion-groups/repness";
import type { OpinionInput, OpinionVoteValue } from "../../server/domain/opinion-groups/types";
import { buildVoteMatrix, columnMeans, encodeOpinionInput } from "../../server/domain/opinion-groups/vote-matrix";

const A: OpinionVoteValue = "agree";
const D: OpinionVoteValue = "disagree";
const U: OpinionVoteValue = "unsure";

/** rows[participant][proposition]: a vote or null (missing). Participants p0…, propositions q0…. */
function input(rows: (OpinionVoteValue | null)[][], excluded: number[] = []): OpinionInput {
  const nProps = Math.max(...rows.map((r) => r.length));
  return {
    participantIds: rows.map((_, i) => `p${i}`),
    propositions: Array.from({ length: nProps }, (_, j) => ({ id: `q${j}`, excluded: excluded.includes(j) })),
    votes: rows.flatMap((r, i) => r.flatMap((v, j) => (v === null ? [] : [{ participantId: `p${i}`, propositionId: `q${j}`, value: v }]))),
  };
}
const matrixOf = (rows: (OpinionVoteValue | null)[][], excluded: number[] = []) => buildVoteMatrix(encodeOpinionInput(input(rows, excluded)));

describe("vote matrix", () => {
  it("encodes agree +1, disagree −1, unsure 0 and leaves missing votes out", () => {
    const m = matrixOf([
      [A, null, U],
      [D, A, null],
    ]);
    expect(m.nRows).toBe(2);
    expect(m.nCols).toBe(3);
    expect([...m.colIndex.subarray(m.rowStart[0], m.rowStart[1])]).toEqual([0, 2]);
    expect([...m.values.subarray(m.rowStart[0], m.rowStart[1])]).toEqual([1, 0]);
    expect([...m.values.subarray(m.rowStart[1], m.rowStart[2])]).toEqual([-1, 1]);
    expect([...m.rowVoteCount]).toEqual([2, 2]);
  });

  it("orders rows as Polis builds them from scratch: voters of the first proposition, then those new on the next", () => {
    // p0 votes only on q1, p1 only on q0, p2 on q0: Polis reads votes by (proposition, participant).
    const m = matrixOf([
      [null, A],
      [A, null],
      [D, null],
    ]);
    expect([...m.rowParticipant]).toEqual([1, 2, 0]);
  });

  it("keeps only propositions and participants with votes, and the later of two votes on the same pair", () => {
    const encoded = encodeOpinionInput({
      participantIds: ["a", "b", "silent"],
      propositions: [
        { id: "x", excluded: false },
        { id: "unvoted", excluded: false },
        { id: "y", excluded: true },
      ],
      votes: [
        { participantId: "a", propositionId: "x", value: "agree" },
        { participantId: "b", propositionId: "y", value: "disagree" },
        { participantId: "a", propositionId: "x", value: "disagree" },
      ],
    });
    const m = buildVoteMatrix(encoded);
    expect(m.nRows).toBe(2);
    expect([...m.colProposition]).toEqual([0, 2]);
    expect([...m.colIncluded]).toEqual([1, 0]);
    expect(m.values[m.rowStart[0]]).toBe(-1);
    expect([...m.rowVoteCount]).toEqual([1, 1]);
    expect([...m.rowIncludedVoteCount]).toEqual([1, 0]);
  });

  it("refuses votes that name unknown participants or propositions, or unknown values", () => {
    expect(() => encodeOpinionInput({ participantIds: ["a"], propositions: [{ id: "x", excluded: false }], votes: [{ participantId: "z", propositionId: "x", value: "agree" }] })).toThrow(/participant "z"/);
    expect(() => encodeOpinionInput({ participantIds: ["a"], propositions: [{ id: "x", excluded: false }], votes: [{ participantId: "a", propositionId: "w", value: "agree" }] })).toThrow(/proposition "w"/);
    expect(() =>
      encodeOpinionInput({ participantIds: ["a"], propositions: [{ id: "x", excluded: false }], votes: [{ participantId: "a", propositionId: "x", value: "maybe" as OpinionVoteValue }] }),
    ).toThrow(/agree, disagree or unsure/);
    expect(() => encodeOpinionInput({ participantIds: ["a", "a"], propositions: [], votes: [] })).toThrow(/twice/);
  });

  it("imputes a missing vote by the column mean of the votes cast (unsure counts as 0); excluded columns have mean 0", () => {
    // q0: +1, −1, +1 → 1/3; q1: 0, +1 → 1/2; q2 excluded.
    const m = matrixOf(
      [
        [A, U, A],
        [D, null, A],
        [A, A, A],
      ],
      [2],
    );
    const mean = columnMeans(m);
    expect(mean[0]).toBeCloseTo(1 / 3, 12);
    expect(mean[1]).toBeCloseTo(1 / 2, 12);
    expect(mean[2]).toBe(0);
  });
});

describe("PCA by power iteration", () => {
  it("finds the two components of a 3 × 2 matrix worked out by hand", () => {
    // X = [[1,1],[−1,−1],[1,−1]], centre c = (1/3, −1/3).
    // Xc = [[2/3,4/3],[−4/3,−2/3],[2/3,−2/3]]; XcᵀXc = [[24/9,12/9],[12/9,24/9]]:
    // eigenvalue 4 with (1,1)/√2, eigenvalue 4/3 with (1,−1)/√2.
    const m = matrixOf([
      [A, A],
      [D, D],
      [A, D],
    ]);
    const pca = powerIterationPca(m, columnMeans(m), 2, 100, 1);
    const r = Math.SQRT1_2;
    expect([...pca.center]).toEqual([1 / 3, -1 / 3]);
    expect(pca.components[0][0]).toBeCloseTo(r, 9);
    expect(pca.components[0][1]).toBeCloseTo(r, 9);
    // Sign fixed so that the largest-magnitude entry (the first, on a tie) is positive.
    expect(pca.components[1][0]).toBeCloseTo(r, 9);
    expect(pca.components[1][1]).toBeCloseTo(-r, 9);

    // Positions (every vote cast, so the scale is √(2/2) = 1): a = Xc·pc.
    const { x, y } = projectParticipants(m, pca);
    expect(x[0]).toBeCloseTo(Math.SQRT2, 9); // (2/3 + 4/3)/√2
    expect(y[0]).toBeCloseTo(-Math.SQRT2 / 3, 9); // (2/3 − 4/3)/√2
    expect(x[1]).toBeCloseTo(-Math.SQRT2, 9);
    expect(y[1]).toBeCloseTo(-Math.SQRT2 / 3, 9);
    expect(x[2]).toBeCloseTo(0, 9);
    expect(y[2]).toBeCloseTo((2 * Math.SQRT2) / 3, 9);
  });

  it("gives a rank-one matrix one component and a zero second one", () => {
    // Two camps voting opposite ways on 3 propositions: XᵀX = 4 v vᵀ, v = (1, 1, −1).
    const m = matrixOf([
      [A, A, D],
      [A, A, D],
      [D, D, A],
      [D, D, A],
    ]);
    const pca = powerIterationPca(m, columnMeans(m), 2, 100, 7);
    const s = 1 / Math.sqrt(3);
    expect([...pca.components[0]].map((v) => Number(v.toFixed(9)))).toEqual([s, s, -s].map((v) => Number(v.toFixed(9))));
    expect([...pca.components[1]].every((v) => Math.abs(v) < 1e-9)).toBe(true);
    const { x } = projectParticipants(m, pca);
    expect(x[0]).toBeCloseTo(Math.sqrt(3), 9);
    expect(x[2]).toBeCloseTo(-Math.sqrt(3), 9);
  });

  it("projects a participant from the votes they cast only, scaled by √(propositions / votes cast)", () => {
    // Given centre (0, 0) and components e1, e2 over 2 columns, a participant who agreed
    // with q0 only sits at (1 · √(2/1), 0).
    const m = matrixOf([
      [A, null],
      [D, A],
    ]);
    const pca = { center: new Float64Array([0, 0]), components: [new Float64Array([1, 0]), new Float64Array([0, 1])], iterations: [] };
    const { x, y } = projectParticipants(m, pca);
    expect(x[0]).toBeCloseTo(Math.SQRT2, 12);
    expect(y[0]).toBe(0);
    expect(x[1]).toBe(-1);
    expect(y[1]).toBe(1);
  });

  it("counts excluded propositions as seen in the scale, as Polis's zeroed columns do", () => {
    // 3 columns, q2 excluded: a participant who voted on q0 alone has n_votes = 1 + 1, scale √(3/2).
    const m = matrixOf(
      [
        [A, null, null],
        [D, A, A],
      ],
      [2],
    );
    const pca = { center: new Float64Array([0, 0, 0]), components: [new Float64Array([1, 0, 0]), new Float64Array([0, 1, 0])], iterations: [] };
    const { x } = projectParticipants(m, pca);
    expect(x[0]).toBeCloseTo(Math.sqrt(3 / 2), 12);
    // Participant 1 voted on both included columns: scale √(3/3) = 1.
    expect(x[1]).toBe(-1);
  });

  it("places a proposition where agreeing with it alone would put someone: (1 − c) · pc · √n", () => {
    const m = matrixOf([
      [A, A],
      [D, D],
      [A, D],
    ]);
    const pca = powerIterationPca(m, columnMeans(m), 2, 100, 1);
    const placed = placePropositions(m, pca);
    // q0: (1 − 1/3) · (1/√2) · √2 = 2/3 on both axes; q1: (1 + 1/3) · (±1/√2) · √2 = ±4/3.
    expect(placed.x[0]).toBeCloseTo(2 / 3, 9);
    expect(placed.y[0]).toBeCloseTo(2 / 3, 9);
    expect(placed.x[1]).toBeCloseTo(4 / 3, 9);
    expect(placed.y[1]).toBeCloseTo(-4 / 3, 9);
    expect(placed.extremity[1]).toBeCloseTo(Math.hypot(4 / 3, 4 / 3), 9);
  });
});

describe("k-means (base clusters and groups)", () => {
  it("starts from the first k distinct points and converges to the two clumps", () => {
    // Points on a line: 0, 0.1, 10, 10.1, 0 (a repeat). Start centres 0 and 0.1 (the first two distinct).
    // Step 1: {0, 0} → 0; {0.1, 10, 10.1} → 6.7333. Step 2: {0, 0.1, 0} → 0.0333; {10, 10.1} → 10.05. Step 3: same.
    const xs = new Float64Array([0, 0.1, 10, 10.1, 0]);
    const clusters = kmeans2d(xs, new Float64Array(5), 2, { maxIterations: 20 });
    expect(clusters.map((c) => c.members)).toEqual([[0, 1, 4], [2, 3]]);
    expect(clusters[0].x).toBeCloseTo(0.1 / 3, 12);
    expect(clusters[1].x).toBeCloseTo(10.05, 12);
  });

  it("takes k = 100 base clusters but never more than the distinct points", () => {
    const xs = new Float64Array([5, 5, 5, 1, 1]);
    const clusters = kmeans2d(xs, new Float64Array(5), 100, { maxIterations: 100 });
    expect(clusters.map((c) => ({ id: c.id, members: c.members, x: c.x }))).toEqual([
      { id: 0, members: [0, 1, 2], x: 5 },
      { id: 1, members: [3, 4], x: 1 },
    ]);
  });

  it("weights points in the mean: Σ wᵢxᵢ / Σ wᵢ", () => {
    // (0,0) weight 3 and (4,0) weight 1 in one cluster: centre (1, 0).
    const clusters = kmeans2d(new Float64Array([0, 4]), new Float64Array([0, 0]), 1, { maxIterations: 20, weights: new Float64Array([3, 1]) });
    expect(clusters[0].x).toBe(1);
    expect(clusters[0].y).toBe(0);
  });

  it("calls two clusterings the same when their sorted centres are closer than 0.01", () => {
    expect(sameClustering([{ x: 1, y: 1 }, { x: 0, y: 0 }], [{ x: 0.005, y: 0 }, { x: 1, y: 1.005 }])).toBe(true);
    expect(sameClustering([{ x: 0, y: 0 }], [{ x: 0.02, y: 0 }])).toBe(false);
  });

  it("computes the silhouette by hand: points 0, 1 | 10, 12", () => {
    // s(0) = (11 − 1)/11, s(1) = (10 − 1)/10, s(10) = (9.5 − 2)/9.5, s(12) = (11.5 − 2)/11.5.
    const at = [0, 1, 10, 12];
    const value = silhouette((i, j) => Math.abs(at[i] - at[j]), [
      [0, 1],
      [2, 3],
    ]);
    expect(value).toBeCloseTo((10 / 11 + 9 / 10 + 7.5 / 9.5 + 9.5 / 11.5) / 4, 12);
    // A point alone in its cluster counts 0. Clusters {0}, {1}, {10, 12}:
    const withSingleton = silhouette((i, j) => Math.abs(at[i] - at[j]), [[0], [1], [2, 3]]);
    // s(0) = 0, s(1) = 0, s(10): a = 2, b = min(10, 9) = 9 → 7/9; s(12): a = 2, b = min(12, 11) = 11 → 9/11.
    expect(withSingleton).toBeCloseTo((0 + 0 + 7 / 9 + 9 / 11) / 4, 12);
  });
});

describe("choosing k by silhouette", () => {
  it("tries k = 2 … min(5, 2 + ⌊base clusters / 12⌋)", () => {
    expect(maxGroupCount(100, 5)).toBe(5);
    expect(maxGroupCount(24, 5)).toBe(4);
    expect(maxGroupCount(23, 5)).toBe(3);
    expect(maxGroupCount(11, 5)).toBe(2);
  });

  it("chooses k = 3 for three separated clumps of base clusters", () => {
    // 36 base clusters of 1–3 members: 12 around each of (0,0), (10,0), (0,10), within ±0.5.
    const base: Cluster2d[] = [];
    const centres = [
      [0, 0],
      [10, 0],
      [0, 10],
    ];
    for (let i = 0; i < 36; i++) {
      const [cx, cy] = centres[i % 3];
      base.push({ id: i, members: Array.from({ length: 1 + (i % 3) }, (_, k) => i * 3 + k), x: cx + ((i * 7) % 10) / 10 - 0.5, y: cy + ((i * 3) % 10) / 10 - 0.5 });
    }
    const { chosen, tried } = chooseGroups(base, 5, 20);
    expect(tried.map((t) => t.k)).toEqual([2, 3, 4, 5]);
    expect(chosen?.k).toBe(3);
    const best = Math.max(...tried.map((t) => t.silhouette));
    expect(chosen?.silhouette).toBe(best);
    // Each group is one clump.
    for (const g of chosen!.clusters) expect(new Set(g.members.map((b) => b % 3)).size).toBe(1);
  });

  it("prefers the larger k on a tie of silhouettes (Polis's max-key keeps the last)", () => {
    // Two base clusters only: k = 2 is the only k tried (max-k-fn gives 2).
    const base: Cluster2d[] = [
      { id: 0, members: [0], x: 0, y: 0 },
      { id: 1, members: [1], x: 1, y: 0 },
    ];
    const { chosen, tried } = chooseGroups(base, 5, 20);
    expect(tried.map((t) => t.k)).toEqual([2]);
    expect(chosen?.k).toBe(2);
    expect(chosen?.silhouette).toBe(0); // two singletons
  });
});

describe("who is clustered", () => {
  it("needs min(7, propositions) votes, topped up to 15 by the most active", () => {
    // 20 participants, 10 propositions: participant i votes on the first i propositions (0 … 9, and 10 for i ≥ 10).
    const rows = Array.from({ length: 20 }, (_, i) => Array.from({ length: 10 }, (_, j) => (j < Math.min(i, 10) ? A : null)));
    const m = matrixOf(rows);
    const clustered = inConversationRows(m).map((r) => m.rowParticipant[r]);
    // ≥ 7 votes: participants 7 … 19 (13 of them); top-up by votes: 6 then 5 → 15.
    expect(clustered.sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it("asks for every proposition when there are fewer than 7", () => {
    // 3 propositions: threshold 3; 16 participants vote on all three, one on two.
    const rows = [...Array.from({ length: 16 }, () => [A, D, A]), [A, D, null]];
    const m = matrixOf(rows);
    expect(inConversationRows(m).map((r) => m.rowParticipant[r])).not.toContain(16);
    expect(inConversationRows(m)).toHaveLength(16);
  });
});

describe("representative propositions (repness)", () => {
  it("computes Polis's tests by hand", () => {
    // prop-test(3, 4) = 2 √5 (4/5 − 1/2) = 0.6 √5.
    expect(propTest(3, 4)).toBeCloseTo(0.6 * Math.sqrt(5), 12);
    // two-prop-test(8, 2, 10, 10): π₁ = 9/11, π₂ = 3/11, π̂ = 12/22; z = (6/11) / √(6/11 · 5/11 · 2/11).
    expect(twoPropTest(8, 2, 10, 10)).toBeCloseTo(6 / 11 / Math.sqrt((6 / 11) * (5 / 11) * (2 / 11)), 12);
    // π̂ = 1 (everyone succeeded everywhere): 0, not a division by zero.
    expect(twoPropTest(3, 3, 3, 3)).toBe(0);
  });

  // Group 0 (4 people) all agree with q0, group 1 (4 people) all disagree; everyone agrees with q1.
  const rows = [...Array.from({ length: 4 }, () => [A, A]), ...Array.from({ length: 4 }, () => [D, A])];
  const m = matrixOf(rows);
  const groupOfRow = Int32Array.from({ length: 8 }, (_, r) => (m.rowParticipant[r] < 4 ? 0 : 1));
  const counts = countGroupVotes(m, groupOfRow, 2);

  it("derives pseudo-count shares and z scores per group", () => {
    const s = commentGroupStats(counts, 0, 0);
    // na = 4, ns = 4; rest na = 0, ns = 4.
    expect([s.na, s.nd, s.ns]).toEqual([4, 0, 4]);
    expect(s.pa).toBeCloseTo(5 / 6, 12);
    expect(s.pat).toBeCloseTo(Math.sqrt(5), 12); // 2 √5 (5/5 − 1/2)
    expect(s.ra).toBeCloseTo(5 / 6 / (1 / 6), 12);
    // rat = two-prop-test(4, 0, 4, 4): π₁ = 1, π₂ = 1/5, π̂ = 6/10 → 0.8 / √(0.6 · 0.4 · 0.4).
    expect(s.rat).toBeCloseTo(0.8 / Math.sqrt(0.096), 12);
  });

  it("selects what sets each group apart, the best-agreed first", () => {
    const z = Math.fround(0.8 / Math.sqrt(0.096));
    const g0 = selectRepresentative(counts, 0, [0, 1]);
    expect(g0.map((f) => [f.col, f.direction, f.bestAgree, f.repnessTest])).toEqual([[0, "agree", true, z]]);
    const g1 = selectRepresentative(counts, 1, [0, 1]);
    // q1 (everyone agrees) is group 1's best-agreed; q0 its significant disagreement. Agrees first.
    expect(g1.map((f) => [f.col, f.direction, f.bestAgree])).toEqual([
      [1, "agree", true],
      [0, "disagree", false],
    ]);
    expect(g1[1].repnessTest).toBe(z);
  });

  it("never selects excluded columns", () => {
    expect(selectRepresentative(counts, 0, [1]).map((f) => f.col)).toEqual([1]);
  });
});

describe("consensus and division", () => {
  // Group 0: 4 people, group 1: 2 people.
  const rows = [
    [A, A, A],
    [A, A, A],
    [A, D, A],
    [U, D, A],
    [A, D, D],
    [A, D, D],
  ];
  const m = matrixOf(rows);
  const groupOfRow = Int32Array.from({ length: 6 }, (_, r) => (m.rowParticipant[r] < 4 ? 0 : 1));
  const counts = countGroupVotes(m, groupOfRow, 2);
  const idOf = (c: number) => `q${m.colProposition[c]}`;

  it("computes group-informed consensus as Π (A_g + 1)/(S_g + 2)", () => {
    // q0: group 0 A=3 S=4 → 4/6; group 1 A=2 S=2 → 3/4; product 1/2.
    expect(groupInformedConsensus(counts, 0)).toBeCloseTo(0.5, 12);
    // q2 disagree: group 0 D=0 S=4 → 1/6; group 1 D=2 S=2 → 3/4.
    expect(groupInformedConsensus(counts, 2, "disagree")).toBeCloseTo(1 / 8, 12);
  });

  it("lists what a majority of every group agrees with, by group-informed consensus", () => {
    const consensus = consensusPropositions(counts, [0, 1, 2], idOf);
    expect(consensus.map((c) => [c.propositionId, c.direction])).toEqual([["q0", "agree"]]);
    expect(consensus[0].groups.map((g) => [g.agree, g.votes])).toEqual([
      [3, 4],
      [2, 2],
    ]);
  });

  it("lists as divisive what one group's majority agrees with and another's rejects", () => {
    // q2: group 0 agrees 4/4, group 1 disagrees 2/2: z = two-prop-test(4, 0, 4, 2) = (1 − 1/3)/√(6/8 · 2/8 · (1/5 + 1/3)) > 1.2816.
    // q1: group 0 splits 2–2 (no majority either way), so it is not divisive.
    const divisive = divisivePropositions(counts, [0, 1, 2], idOf);
    expect(divisive.map((d) => d.propositionId)).toEqual(["q2"]);
    expect(divisive[0].spread).toBe(1);
    expect(divisive[0].z).toBeCloseTo((1 - 1 / 3) / Math.sqrt((6 / 8) * (2 / 8) * (1 / 5 + 1 / 3)), 12);
  });
});
