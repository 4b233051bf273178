/**
 * Learns the claim scorer's weights from the annotated evaluation set (ADR 0056).
 *
 * Each candidate of an article (one per sentence group, as {@link draftPropositionList} scores
 * them) is a row: its score terms ({@link TERM_NAMES}) and a label, 1 when its span covers a gold
 * claim (the eval's definition: overlapping at least half of the claim). The model is a logistic
 * regression whose linear part is
 *
 *     bias + a · (hand score) + Σₖ δₖ · (standardised term k)
 *
 * with the L2 penalty on the δₖ only: the hand weights of ADR 0040 are the prior, scaled by a
 * learnt `a`, and each δₖ is a learnt correction the data must pay for. λ is chosen by
 * leave-one-article-out log-loss within the training articles (nested), so a cross-validated
 * figure never sees its article, not even through λ. The result is folded back into one weight per
 * term ({@link ScoringWeights}), divided by `a` so that the score stays in the hand weights' units
 * (the paragraph-spread penalty and the thesis bonus of {@link draftPropositionList} are in those
 * units): the score is the candidate's log-odds of covering a claim, divided by `a`.
 */
import { draftPropositionList, dotTerms, HAND_WEIGHTS, TERM_NAMES, type ScoringWeights, type Terms } from "../../server/domain/claims";
import { covers, type EvalArticle } from "./claim-eval";
import { fitLogistic, logLoss } from "./logistic";

/** One candidate: its terms and whether it covers a gold claim. */
export interface TrainingRow {
  terms: Terms;
  label: 0 | 1;
}

/** The log-odds below which a learnt scorer does not draft a candidate: a 10 % chance of covering a claim. */
export const DRAFT_LOG_ODDS_MIN = Math.log(0.1 / 0.9);

/** The λ values tried (nested cross-validation picks one). */
export const L2_GRID = [1, 10, 100, 1000, 1e4, 1e5] as const;

/**
 * The candidates of an article as training rows, their terms computed with `weights` (the
 * sentence a group is scored by is its best under those weights).
 */
export function trainingRows(article: EvalArticle, weights: ScoringWeights = HAND_WEIGHTS): TrainingRow[] {
  const rows: TrainingRow[] = [];
  draftPropositionList(article.text, {
    weights,
    onTerms: (span, terms) => {
      rows.push({ terms, label: article.claims.some((c) => covers(span, c)) ? 1 : 0 });
    },
  });
  return rows;
}

interface Scaling {
  mean: number[];
  sd: number[];
}

function design(rows: TrainingRow[], scaling: Scaling): number[][] {
  return rows.map((r) => [1, dotTerms(r.terms, HAND_WEIGHTS), ...TERM_NAMES.map((k, j) => ((r.terms[k] ?? 0) - scaling.mean[j]!) / scaling.sd[j]!)]);
}

function scalingOf(rows: TrainingRow[]): Scaling {
  const mean = TERM_NAMES.map((k) => rows.reduce((s, r) => s + (r.terms[k] ?? 0), 0) / Math.max(1, rows.length));
  const sd = TERM_NAMES.map((k, j) => {
    const v = rows.reduce((s, r) => s + ((r.terms[k] ?? 0) - mean[j]!) ** 2, 0) / Math.max(1, rows.length);
    return v > 1e-12 ? Math.sqrt(v) : 1;
  });
  return { mean, sd };
}

function fit(rows: TrainingRow[], l2: number): { coef: number[]; scaling: Scaling } {
  const scaling = scalingOf(rows);
  const penalised = [false, false, ...TERM_NAMES.map(() => true)];
  const coef = fitLogistic(design(rows, scaling), rows.map((r) => r.label), { l2, penalised });
  return { coef, scaling };
}

/** The λ of {@link L2_GRID} with the lowest leave-one-group-out log-loss over `groups` (one group per article). */
export function chooseL2(groups: TrainingRow[][]): number {
  let best: number = L2_GRID[0];
  let bestLoss = Number.POSITIVE_INFINITY;
  for (const l2 of L2_GRID) {
    let loss = 0;
    let n = 0;
    groups.forEach((held, i) => {
      const train = groups.filter((_, j) => j !== i).flat();
      const { coef, scaling } = fit(train, l2);
      loss += logLoss(design(held, scaling), held.map((r) => r.label), coef) * held.length;
      n += held.length;
    });
    if (loss / n < bestLoss) {
      bestLoss = loss / n;
      best = l2;
    }
  }
  return best;
}

/** A model's weights with how they were produced. */
export interface TrainedWeights {
  weights: ScoringWeights;
  l2: number;
  handScale: number;
  rows: number;
  positives: number;
}

/**
 * Trains on the given articles' rows (λ chosen by nested leave-one-article-out log-loss unless
 * given) and folds the model into one weight per term.
 * @param minScore the log-odds below which a candidate is not drafted.
 */
export function trainWeights(groups: TrainingRow[][], minScore: number, l2: number = chooseL2(groups)): TrainedWeights {
  const rows = groups.flat();
  const { coef, scaling } = fit(rows, l2);
  const [bias0, a] = [coef[0]!, coef[1]!];
  let bias = bias0;
  const terms = {} as Record<(typeof TERM_NAMES)[number], number>;
  TERM_NAMES.forEach((k, j) => {
    const delta = coef[j + 2]! / scaling.sd[j]!;
    terms[k] = round((a * HAND_WEIGHTS.terms[k] + delta) / a);
    bias -= delta * scaling.mean[j]!;
  });
  return { weights: { terms, bias: round(bias / a), minScore: minScore / a }, l2, handScale: round(a), rows: rows.length, positives: rows.filter((r) => r.label === 1).length };
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
