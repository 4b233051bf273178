/**
 * The learnt claim weights (ADR 0056): the logistic regression, the folding of a model trained
 * with the hand weights as prior into one weight per term, and the score terms of a sentence.
 * Made-up data and sentences, not the evaluation set.
 */
import { describe, expect, it } from "vitest";
import { CLAIM_WEIGHTS, claimFeatures, claimScore, claimTerms, dotTerms, draftPropositionList, HAND_WEIGHTS, SCORING_WEIGHTS, TERM_NAMES, type Terms } from "../../server/domain/claims";
import { fitLogistic, logLoss, sigmoid } from "../../scripts/lib/logistic";
import { trainWeights, type TrainingRow } from "../../scripts/lib/claim-training";
import { meanOf } from "../../scripts/lib/claim-eval";

describe("fitLogistic", () => {
  // y = 1 with probability σ(-1 + 2x): rows drawn deterministically at those frequencies.
  const x: number[][] = [];
  const y: number[] = [];
  for (const xi of [-2, -1, 0, 1, 2, 3]) {
    const p = sigmoid(-1 + 2 * xi);
    for (let k = 0; k < 200; k++) {
      x.push([1, xi]);
      y.push(k < Math.round(p * 200) ? 1 : 0);
    }
  }

  it("recovers the coefficients of a logistic model", () => {
    const w = fitLogistic(x, y, { l2: 1e-6 });
    expect(w[0]).toBeCloseTo(-1, 1);
    expect(w[1]).toBeCloseTo(2, 1);
  });

  it("shrinks penalised coefficients towards 0 and leaves unpenalised ones free", () => {
    const free = fitLogistic(x, y, { l2: 1e-6 });
    const shrunk = fitLogistic(x, y, { l2: 1e4, penalised: [false, true] });
    expect(Math.abs(shrunk[1]!)).toBeLessThan(Math.abs(free[1]!) / 10);
    // With the slope gone, the intercept is the log-odds of the overall rate.
    const rate = y.filter((v) => v === 1).length / y.length;
    expect(shrunk[0]).toBeCloseTo(Math.log(rate / (1 - rate)), 1);
  });

  it("fits better than a constant, as measured by log-loss", () => {
    const w = fitLogistic(x, y, { l2: 1e-6 });
    expect(logLoss(x, y, w)).toBeLessThan(logLoss(x, y, [0, 0]));
  });

  it("rejects ragged rows and mismatched labels", () => {
    expect(() => fitLogistic([[1, 2], [1]], [0, 1], { l2: 1 })).toThrow(RangeError);
    expect(() => fitLogistic([[1, 2]], [0, 1], { l2: 1 })).toThrow(RangeError);
  });

  it("has a symmetric, overflow-safe sigmoid", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(3) + sigmoid(-3)).toBeCloseTo(1, 12);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
  });
});

describe("trainWeights", () => {
  // Candidates whose label follows the hand score: a claim cue makes a claim likelier.
  const row = (terms: Terms, label: 0 | 1): TrainingRow => ({ terms, label });
  const groups: TrainingRow[][] = [0, 1, 2].map((g) => [
    ...Array.from({ length: 20 }, (_, k) => row({ deontic: 1, evaluative: (k + g) % 3 }, k % 5 === 0 ? 0 : 1)),
    ...Array.from({ length: 20 }, (_, k) => row({ past: 1, narrative: k % 2 }, k % 5 === 0 ? 1 : 0)),
    ...Array.from({ length: 20 }, (_, k) => row({ longWords: k }, k % 2 === 0 ? 1 : 0)),
  ]);

  it("folds the model into one weight per term that ranks like the model", () => {
    const t = trainWeights(groups, -2, 1);
    expect(Object.keys(t.weights.terms).sort()).toEqual([...TERM_NAMES].sort());
    expect(t.handScale).toBeGreaterThan(0);
    const rows = groups.flat();
    // A strong claim cue outranks a past-tense narrative under the learnt weights as under the hand ones.
    const s = (r: TrainingRow) => dotTerms(r.terms, t.weights) + t.weights.bias;
    expect(s(rows[1]!)).toBeGreaterThan(s(rows[21]!));
    expect(t.rows).toBe(rows.length);
    expect(t.positives).toBe(rows.filter((r) => r.label === 1).length);
  });

  it("keeps the hand weights, rescaled, under a strong penalty", () => {
    const t = trainWeights(groups, -2, 1e7);
    for (const k of TERM_NAMES) expect(t.weights.terms[k]).toBeCloseTo(HAND_WEIGHTS.terms[k], 2);
    expect(t.weights.minScore).toBeCloseTo(-2 / t.handScale, 3);
  });

  it("chooses λ by nested leave-one-out when not given", () => {
    const t = trainWeights(groups, -2);
    expect(t.l2).toBeGreaterThan(0);
  });
});

describe("score terms", () => {
  it("reproduce the hand score of ADR 0040 with the hand weights", () => {
    const f = claimFeatures("A feeble executive implies a feeble execution of the government, and a feeble execution is but another phrase for a bad execution.");
    const w = CLAIM_WEIGHTS;
    let expected = 0;
    if (f.deontic) expected += w.deontic;
    if (f.predictive) expected += w.predictive;
    expected += w.evaluativeEach * Math.min(f.evaluative, w.evaluativeMax);
    if (f.comparative) expected += w.comparative;
    if (f.causal) expected += w.causal;
    if (f.generic) expected += w.generic;
    if (f.copulaPredicate) expected += w.copulaPredicate;
    if (f.genericPresent) expected += w.genericPresent;
    if (f.negated) expected += w.negated;
    if (f.words > 30) expected += w.longPerWord * (f.words - 30);
    expect(claimScore(f, HAND_WEIGHTS)).toBeCloseTo(expected, 9);
    expect(claimTerms(f).evaluative).toBe(Math.min(f.evaluative, w.evaluativeMax));
  });

  it("are what draftPropositionList reports to onTerms, one set per candidate", () => {
    const text = "Cities\n\nCongestion pricing makes cities healthier. The council met on a Tuesday.\n\nWe should price roads.";
    const seen: Terms[] = [];
    const d = draftPropositionList(text, { onTerms: (_span, terms) => seen.push(terms) });
    expect(seen).toHaveLength(d.drafts.length + d.candidates.length);
    for (const t of seen) expect(t.centrality).toBeGreaterThanOrEqual(0);
  });

  it("ship learnt weights that still rank an obligation above a past-tense narrative", () => {
    expect(SCORING_WEIGHTS.terms.deontic).toBeGreaterThan(0);
    expect(SCORING_WEIGHTS.terms.past).toBeLessThan(0);
    expect(claimScore(claimFeatures("Cities should price their roads."))).toBeGreaterThan(claimScore(claimFeatures("We walked to the station in 1999.")));
  });
});

describe("meanOf", () => {
  it("averages recall and precision over articles and keeps the minima", () => {
    const r = (recall: number, precision: number) => ({ name: "x", words: 0, gold: 0, drafts: 0, candidates: 0, covered: 0, recall, correctDrafts: 0, precision, dangling: 0, pass: false });
    const m = meanOf([r(0.5, 0.4), r(0.7, 0.8)]);
    expect(m.recall).toBeCloseTo(0.6, 12);
    expect(m.precision).toBeCloseTo(0.6, 12);
    expect([m.minRecall, m.minPrecision]).toEqual([0.5, 0.4]);
  });
});
