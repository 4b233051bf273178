/**
 * Community Notes' biased matrix factorisation with one factor, fitted by
 * full-batch Adam, without I/O.
 *
 * Source: twitter/communitynotes, scoring/src/scoring/matrix_factorization/
 *  - model.py `BiasedMatrixFactorization.forward`: rating ≈ μ + i_rater + i_item + f_rater · f_item;
 *    factors initialised by `xavier_uniform_` (uniform in ±√(6 / (1 + n)) for an
 *    n × 1 embedding), intercepts and μ at 0;
 *  - matrix_factorization.py `MatrixFactorization.__init__` defaults:
 *    userFactorLambda = noteFactorLambda = 0.03, userInterceptLambda =
 *    noteInterceptLambda = globalInterceptLambda = 0.03 × 5 = 0.15,
 *    noInitLearningRate = 1.0 (Adam), convergence = 1e-7;
 *  - `_get_loss` / `_get_reg_loss`: loss = mean over ratings of (y − ŷ)²
 *    + 0.03 (mean f_rater² + mean f_item²) + 0.15 (mean i_rater² + mean i_item² + μ²);
 *  - `_fit_model`: while |loss − previous| > 1e-7 and not (epoch > 100 and the
 *    loss rose): backward, clip the gradient's global norm to 1.0
 *    (`clip_grad_norm_`), Adam step;
 *  - `_flip_factors_for_identification`: factors are negated when fewer than
 *    half of the raters' non-zero factors are negative.
 * Deviations: float64 instead of float32; a seeded generator for the initial
 * factors; an upper bound on epochs (`maxEpochs`) so a pathological input
 * cannot spin. Adam's constants are PyTorch's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8).
 */
import { seededRandom } from "../seeded-random";

export interface MatrixFactorisationInput {
  nRaters: number;
  nItems: number;
  /** Rating k: rater `rater[k]` gave item `item[k]` the label `label[k]` (1 helpful / up, 0 not / down). */
  rater: Int32Array;
  item: Int32Array;
  label: Float64Array;
}

export interface MatrixFactorisationOptions {
  factorLambda: number;
  interceptLambda: number;
  globalInterceptLambda: number;
  learningRate: number;
  convergence: number;
  maxEpochs: number;
  seed: number;
}

/** Community Notes' constants (see the module comment). */
export const COMMUNITY_NOTES_MF: Readonly<MatrixFactorisationOptions> = Object.freeze({
  factorLambda: 0.03,
  interceptLambda: 0.03 * 5,
  globalInterceptLambda: 0.03 * 5,
  learningRate: 1.0,
  convergence: 1e-7,
  maxEpochs: 20_000,
  seed: 0xc0ffee,
});

export interface MatrixFactorisationResult {
  globalIntercept: number;
  raterIntercept: Float64Array;
  raterFactor: Float64Array;
  itemIntercept: Float64Array;
  itemFactor: Float64Array;
  /** Adam steps taken. */
  epochs: number;
  /** Final regularised loss. */
  loss: number;
  /** Mean squared error of the fit alone. */
  trainError: number;
  /** True when it stopped by the convergence rule, false when it hit maxEpochs. */
  converged: boolean;
}

/**
 * Fits the model.
 * @throws RangeError when arrays differ in length, an index is out of range or a label is not finite
 */
export function fitMatrixFactorisation(input: MatrixFactorisationInput, options: Partial<MatrixFactorisationOptions> = {}): MatrixFactorisationResult {
  const o = { ...COMMUNITY_NOTES_MF, ...options };
  const { nRaters, nItems, rater, item, label } = input;
  const n = label.length;
  if (rater.length !== n || item.length !== n) throw new RangeError("The rating arrays differ in length.");
  for (let k = 0; k < n; k++) {
    if (!(rater[k] >= 0 && rater[k] < nRaters)) throw new RangeError(`Rating ${k} has rater index ${rater[k]}, outside 0..${nRaters - 1}.`);
    if (!(item[k] >= 0 && item[k] < nItems)) throw new RangeError(`Rating ${k} has item index ${item[k]}, outside 0..${nItems - 1}.`);
    if (!Number.isFinite(label[k])) throw new RangeError(`Rating ${k} has a label that is not a finite number.`);
  }

  // Parameter vector: [μ, i_rater (nRaters), i_item (nItems), f_rater (nRaters), f_item (nItems)].
  const P = 1 + 2 * nRaters + 2 * nItems;
  const oRI = 1;
  const oII = oRI + nRaters;
  const oRF = oII + nItems;
  const oIF = oRF + nRaters;
  const theta = new Float64Array(P);
  const random = seededRandom(o.seed);
  const raterBound = Math.sqrt(6 / (1 + nRaters));
  const itemBound = Math.sqrt(6 / (1 + nItems));
  for (let u = 0; u < nRaters; u++) theta[oRF + u] = (2 * random() - 1) * raterBound;
  for (let i = 0; i < nItems; i++) theta[oIF + i] = (2 * random() - 1) * itemBound;

  const grad = new Float64Array(P);
  const m1 = new Float64Array(P);
  const m2 = new Float64Array(P);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;

  /** Loss at theta; fills grad when asked. Returns [loss, mse]. */
  const evaluate = (withGradient: boolean): [number, number] => {
    if (withGradient) grad.fill(0);
    let sse = 0;
    const mu = theta[0];
    for (let k = 0; k < n; k++) {
      const u = rater[k];
      const i = item[k];
      const fu = theta[oRF + u];
      const fi = theta[oIF + i];
      const e = mu + theta[oRI + u] + theta[oII + i] + fu * fi - label[k];
      sse += e * e;
      if (withGradient) {
        const g = (2 * e) / n;
        grad[0] += g;
        grad[oRI + u] += g;
        grad[oII + i] += g;
        grad[oRF + u] += g * fi;
        grad[oIF + i] += g * fu;
      }
    }
    let raterF = 0;
    let raterI = 0;
    for (let u = 0; u < nRaters; u++) {
      raterF += theta[oRF + u] ** 2;
      raterI += theta[oRI + u] ** 2;
    }
    let itemF = 0;
    let itemI = 0;
    for (let i = 0; i < nItems; i++) {
      itemF += theta[oIF + i] ** 2;
      itemI += theta[oII + i] ** 2;
    }
    const mse = n > 0 ? sse / n : 0;
    const loss =
      mse +
      o.factorLambda * (raterF / nRaters + itemF / nItems) +
      o.interceptLambda * (raterI / nRaters + itemI / nItems) +
      o.globalInterceptLambda * mu * mu;
    if (withGradient) {
      grad[0] += 2 * o.globalInterceptLambda * mu;
      for (let u = 0; u < nRaters; u++) {
        grad[oRF + u] += (2 * o.factorLambda * theta[oRF + u]) / nRaters;
        grad[oRI + u] += (2 * o.interceptLambda * theta[oRI + u]) / nRaters;
      }
      for (let i = 0; i < nItems; i++) {
        grad[oIF + i] += (2 * o.factorLambda * theta[oIF + i]) / nItems;
        grad[oII + i] += (2 * o.interceptLambda * theta[oII + i]) / nItems;
      }
    }
    return [loss, mse];
  };

  let previous = 1e10;
  let [loss, mse] = evaluate(true);
  let epoch = 0;
  let converged = true;
  while (Math.abs(loss - previous) > o.convergence && !(epoch > 100 && loss > previous)) {
    if (epoch >= o.maxEpochs) {
      converged = false;
      break;
    }
    previous = loss;
    // clip_grad_norm_(max_norm = 1.0)
    let norm = 0;
    for (let p = 0; p < P; p++) norm += grad[p] * grad[p];
    norm = Math.sqrt(norm);
    const clip = 1.0 / (norm + 1e-6);
    if (clip < 1) for (let p = 0; p < P; p++) grad[p] *= clip;
    // Adam step
    const t = epoch + 1;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (let p = 0; p < P; p++) {
      m1[p] = beta1 * m1[p] + (1 - beta1) * grad[p];
      m2[p] = beta2 * m2[p] + (1 - beta2) * grad[p] * grad[p];
      theta[p] -= (o.learningRate * (m1[p] / c1)) / (Math.sqrt(m2[p] / c2) + eps);
    }
    [loss, mse] = evaluate(true);
    epoch++;
  }

  const raterFactor = theta.slice(oRF, oRF + nRaters);
  const itemFactor = theta.slice(oIF, oIF + nItems);
  // Identification: most raters get a negative factor.
  let negative = 0;
  let nonZero = 0;
  for (const f of raterFactor) {
    if (f !== 0) nonZero++;
    if (f < 0) negative++;
  }
  if (nonZero > 0 && negative / nonZero < 0.5) {
    for (let u = 0; u < nRaters; u++) raterFactor[u] = -raterFactor[u];
    for (let i = 0; i < nItems; i++) itemFactor[i] = -itemFactor[i];
  }
  return {
    globalIntercept: theta[0],
    raterIntercept: theta.slice(oRI, oRI + nRaters),
    raterFactor,
    itemIntercept: theta.slice(oII, oII + nItems),
    itemFactor,
    epochs: epoch,
    loss,
    trainError: mse,
    converged,
  };
}
