/**
 * Ranking arguments by how well they convince people across the debate's
 * divide ("bridging"), from up / down ratings.
 *
 * With enough ratings: Community Notes' matrix factorisation
 * (./matrix-factorisation.ts); an argument's bridging score is its intercept,
 * the helpfulness left once the one-factor "which side are you on" term has
 * explained what it can. Ratings are filtered first as Community Notes does
 * (twitter/communitynotes scoring/src/scoring/process_data.py `filter_ratings`:
 * items with ≥ 5 raters, then raters with ≥ 10 ratings, then items with ≥ 5
 * raters again; mf_base_scorer.py `minNumRatersPerNote` 5,
 * `minNumRatingsPerRater` 10).
 *
 * Fallback (issue 11): when fewer than 20 raters remain after that filter the
 * whole debate, and otherwise each argument the filter dropped (fewer than 5
 * raters, counting only raters with 10 or more ratings), is scored by the
 * Wilson lower bound of its up-vote share instead, and says so.
 *
 * "Helpful on both sides of the main divide": for the factorisation, Community
 * Notes' "currently rated helpful" rule, intercept ≥ 0.40 and |factor| < 0.5
 * (mf_base_scorer.py `crhThreshold`, `factorThreshold`; scoring_rules.py),
 * plus at least one up-vote from a rater on each side (rater factor < 0 and > 0).
 * For the Wilson fallback, when the caller says which side each rater is on
 * (e.g. from the opinion groups), the Wilson lower bound of the up-vote share
 * within each side must reach ½.
 */
import { COMMUNITY_NOTES_MF, fitMatrixFactorisation, type MatrixFactorisationOptions } from "./matrix-factorisation";

export type RatingDirection = "up" | "down";

export interface ArgumentRating {
  raterId: string;
  argumentId: string;
  value: RatingDirection;
}

/** Thresholds; defaults from Community Notes and issue 11. */
export interface BridgingOptions {
  minRatersPerArgument: number;
  minRatingsPerRater: number;
  minActiveRaters: number;
  helpfulIntercept: number;
  maxHelpfulFactor: number;
  /** z of the Wilson interval (1.959964: 95 % two-sided, i.e. a 97.5 % one-sided lower bound). */
  wilsonZ: number;
  /** Wilson lower bound each side must reach for the fallback's "helpful on both sides". */
  wilsonHelpfulShare: number;
  matrixFactorisation: Partial<MatrixFactorisationOptions>;
}

export const DEFAULT_BRIDGING_OPTIONS: Readonly<BridgingOptions> = Object.freeze({
  minRatersPerArgument: 5,
  minRatingsPerRater: 10,
  minActiveRaters: 20,
  helpfulIntercept: 0.4,
  maxHelpfulFactor: 0.5,
  wilsonZ: 1.959964,
  wilsonHelpfulShare: 0.5,
  matrixFactorisation: COMMUNITY_NOTES_MF,
});

export type BridgingMethod = "matrix-factorisation" | "wilson";

export interface BridgingArgument {
  argumentId: string;
  method: BridgingMethod;
  /** Why the fallback was used, in a sentence the UI can show; null for the factorisation. */
  fallbackReason: string | null;
  /** The bridging score: the intercept (factorisation) or the Wilson lower bound (fallback). */
  score: number;
  intercept: number | null;
  /** Position on the divide; near 0 = rated alike by both sides. */
  factor: number | null;
  /** Wilson lower bound of up / (up + down), always computed. */
  wilsonLowerBound: number;
  up: number;
  down: number;
  helpfulAcrossDivide: boolean;
}

/** What a fitted model needs: `activeRaters` raters who each rated `ratingsPerRater` arguments that `ratersPerArgument` or more people rated. */
export interface BridgingNeeded {
  activeRaters: number;
  ratingsPerRater: number;
  ratersPerArgument: number;
}

export interface BridgingResult {
  /** "matrix-factorisation" when the model was fitted (some arguments may still fall back). */
  method: BridgingMethod;
  /** Why the whole debate fell back, in a sentence; null when the model was fitted. */
  reason: string | null;
  /** The thresholds `reason` names, for a page to say it in its own language; null when the model was fitted. */
  needed: BridgingNeeded | null;
  /** Raters left after the rating filter (the model's raters). */
  activeRaters: number;
  globalIntercept: number | null;
  epochs: number | null;
  /** Every argument, in bridging order: factorisation-scored by intercept, then fallbacks by Wilson bound; ties by up-votes, then id. */
  arguments: BridgingArgument[];
  /** Rater factors of the fitted model (side of the divide: sign), by rater id. */
  raterFactors: Map<string, number>;
}

/**
 * Wilson score interval's lower bound of a proportion (Wilson 1927).
 * (p̂ + z²/2n − z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n); 0 when n = 0.
 */
export function wilsonLowerBound(successes: number, trials: number, z = DEFAULT_BRIDGING_OPTIONS.wilsonZ): number {
  if (trials <= 0) return 0;
  const p = successes / trials;
  const z2 = z * z;
  return (p + z2 / (2 * trials) - z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
}

/**
 * Scores every argument.
 * @param ratings current ratings, at most one per rater and argument (a repeated pair: the later wins)
 * @param argumentIds arguments to score even without ratings (optional; rated ones are always included)
 * @param sideOf side of the main divide per rater (−1 / +1) for the fallback's flag; optional
 * @throws TypeError on a rating value other than up / down
 */
export function scoreBridging(
  ratings: readonly ArgumentRating[],
  argumentIds: readonly string[] = [],
  sideOf?: (raterId: string) => -1 | 1 | null,
  options: Partial<BridgingOptions> = {},
): BridgingResult {
  const o = { ...DEFAULT_BRIDGING_OPTIONS, ...options };
  // Latest rating per pair.
  const latest = new Map<string, ArgumentRating>();
  ratings.forEach((r, i) => {
    if (r.value !== "up" && r.value !== "down") throw new TypeError(`Rating ${i} has the value "${String(r.value)}"; expected up or down.`);
    latest.set(`${r.raterId}\u0000${r.argumentId}`, r);
  });
  // A canonical order (rater, then argument), so the fit's sums, and so its result, do not depend on the input order.
  const current = [...latest.values()].sort((a, b) => compare(a.raterId, b.raterId) || compare(a.argumentId, b.argumentId));

  const tally = new Map<string, { up: number; down: number }>();
  for (const id of argumentIds) tally.set(id, { up: 0, down: 0 });
  for (const r of current) {
    const t = tally.get(r.argumentId) ?? { up: 0, down: 0 };
    t[r.value]++;
    tally.set(r.argumentId, t);
  }

  // Community Notes' filter_ratings: items, raters, items.
  let kept = current;
  const countBy = (list: readonly ArgumentRating[], key: (r: ArgumentRating) => string) => {
    const counts = new Map<string, number>();
    for (const r of list) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    return counts;
  };
  const filterItems = () => {
    const c = countBy(kept, (r) => r.argumentId);
    kept = kept.filter((r) => (c.get(r.argumentId) ?? 0) >= o.minRatersPerArgument);
  };
  filterItems();
  const raterCounts = countBy(kept, (r) => r.raterId);
  kept = kept.filter((r) => (raterCounts.get(r.raterId) ?? 0) >= o.minRatingsPerRater);
  filterItems();

  const raterIds = [...new Set(kept.map((r) => r.raterId))].sort();
  const modelArgumentIds = [...new Set(kept.map((r) => r.argumentId))].sort();
  const activeRaters = raterIds.length;

  const wilsonOf = (id: string) => {
    const t = tally.get(id)!;
    return wilsonLowerBound(t.up, t.up + t.down, o.wilsonZ);
  };
  // Up-votes and ratings per argument on each side of the caller's divide (for the fallback's flag).
  const sideCounts = new Map<string, { negUp: number; neg: number; posUp: number; pos: number }>();
  if (sideOf) {
    for (const r of current) {
      const side = sideOf(r.raterId);
      if (side !== -1 && side !== 1) continue;
      const c = sideCounts.get(r.argumentId) ?? { negUp: 0, neg: 0, posUp: 0, pos: 0 };
      if (side === -1) {
        c.neg++;
        if (r.value === "up") c.negUp++;
      } else {
        c.pos++;
        if (r.value === "up") c.posUp++;
      }
      sideCounts.set(r.argumentId, c);
    }
  }
  const fallbackFlag = (id: string): boolean => {
    const c = sideCounts.get(id);
    if (!c) return false;
    return wilsonLowerBound(c.negUp, c.neg, o.wilsonZ) >= o.wilsonHelpfulShare && wilsonLowerBound(c.posUp, c.pos, o.wilsonZ) >= o.wilsonHelpfulShare;
  };
  const fallback = (id: string, reason: string): BridgingArgument => {
    const t = tally.get(id)!;
    const w = wilsonOf(id);
    return { argumentId: id, method: "wilson", fallbackReason: reason, score: w, intercept: null, factor: null, wilsonLowerBound: w, up: t.up, down: t.down, helpfulAcrossDivide: fallbackFlag(id) };
  };

  const allIds = [...tally.keys()];
  if (activeRaters < o.minActiveRaters) {
    const reason = `Too few ratings to tell who convinces across the divide: ${activeRaters} ${activeRaters === 1 ? "person has" : "people have"} rated at least ${o.minRatingsPerRater} arguments that ${o.minRatersPerArgument} or more people rated, and ${o.minActiveRaters} are needed; ranked by up-votes (Wilson lower bound) instead.`;
    return {
      method: "wilson",
      reason,
      needed: { activeRaters: o.minActiveRaters, ratingsPerRater: o.minRatingsPerRater, ratersPerArgument: o.minRatersPerArgument },
      activeRaters,
      globalIntercept: null,
      epochs: null,
      arguments: order(allIds.map((id) => fallback(id, reason))),
      raterFactors: new Map(),
    };
  }

  const raterIndex = new Map(raterIds.map((id, i) => [id, i]));
  const argumentIndex = new Map(modelArgumentIds.map((id, i) => [id, i]));
  const fit = fitMatrixFactorisation(
    {
      nRaters: raterIds.length,
      nItems: modelArgumentIds.length,
      rater: Int32Array.from(kept, (r) => raterIndex.get(r.raterId)!),
      item: Int32Array.from(kept, (r) => argumentIndex.get(r.argumentId)!),
      label: Float64Array.from(kept, (r) => (r.value === "up" ? 1 : 0)),
    },
    o.matrixFactorisation,
  );
  const raterFactors = new Map(raterIds.map((id, i) => [id, fit.raterFactor[i]]));

  // Sides that up-voted each modelled argument (by rater factor sign).
  const upSides = new Map<string, { negative: boolean; positive: boolean }>();
  for (const r of kept) {
    if (r.value !== "up") continue;
    const f = raterFactors.get(r.raterId)!;
    const s = upSides.get(r.argumentId) ?? { negative: false, positive: false };
    if (f < 0) s.negative = true;
    if (f > 0) s.positive = true;
    upSides.set(r.argumentId, s);
  }

  const few = `Fewer than ${o.minRatersPerArgument} people who rated at least ${o.minRatingsPerRater} arguments have rated this one; ranked by up-votes (Wilson lower bound) instead.`;
  const scored = allIds.map((id): BridgingArgument => {
    const i = argumentIndex.get(id);
    if (i === undefined) return fallback(id, few);
    const t = tally.get(id)!;
    const intercept = fit.itemIntercept[i];
    const factor = fit.itemFactor[i];
    const sides = upSides.get(id);
    return {
      argumentId: id,
      method: "matrix-factorisation",
      fallbackReason: null,
      score: intercept,
      intercept,
      factor,
      wilsonLowerBound: wilsonOf(id),
      up: t.up,
      down: t.down,
      helpfulAcrossDivide: intercept >= o.helpfulIntercept && Math.abs(factor) < o.maxHelpfulFactor && !!sides?.negative && !!sides.positive,
    };
  });
  return { method: "matrix-factorisation", reason: null, needed: null, activeRaters, globalIntercept: fit.globalIntercept, epochs: fit.epochs, arguments: order(scored), raterFactors };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function order(list: BridgingArgument[]): BridgingArgument[] {
  const rank = (a: BridgingArgument) => (a.method === "matrix-factorisation" ? 0 : 1);
  return list.sort((a, b) => rank(a) - rank(b) || b.score - a.score || b.up - a.up || compare(a.argumentId, b.argumentId));
}
