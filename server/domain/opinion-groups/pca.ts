/**
 * Principal components of the vote matrix by power iteration, and the
 * sparsity-aware projection of participants and propositions onto them.
 *
 * Source: compdemocracy/polis math/src/polismath/math/pca.clj
 * (`powerit-pca`, `power-iteration`, `xtxr`, `factor-matrix`,
 * `sparsity-aware-project-ptpt`, `pca-project-cmnts`) applied to the matrix of
 * conversation.clj (`:mat`: missing votes replaced by the column mean).
 *
 * Formulas (X the n × m matrix with missing votes imputed by column means c):
 *  - centre: c_j = mean of column j (`matrix-stats/mean`), Xc = X − 1cᵀ.
 *    A missing vote is imputed by c_j, so its centred value is exactly 0:
 *    Xc has the sparsity of the votes, and XcᵀXc v is computed in O(votes).
 *  - power iteration (`power-iteration`, `xtxr`): v ← XcᵀXc v / ‖XcᵀXc v‖,
 *    at most `iterations` + 1 products, stopping early when the eigenvalue
 *    estimate ‖XcᵀXc v‖ repeats exactly.
 *  - second component (`factor-matrix`): the data with the first component
 *    factored out, X' = Xc (I − pc₁pc₁ᵀ); we apply X'ᵀX' = (I − P) XcᵀXc (I − P)
 *    implicitly instead of forming the dense X'.
 *  - participant position (`sparsity-aware-project-ptpt`): over the votes the
 *    participant cast only, p_k = Σ_j (x_j − c_j) pc_k[j], scaled by
 *    √(n_cols / max(n_votes, 1)), which pushes participants with few votes out
 *    from the centre as if they had voted on everything the same way.
 *  - proposition placement (`pca-project-cmnts`): the projection of a single
 *    agree vote on that proposition alone.
 *
 * Deviation: Polis starts a fresh power iteration from `rand` (random in
 * [0, 1)) and later updates from the previous components; we start from a
 * seeded pseudo-random vector every time, so the same votes give the same
 * components. Each component's sign is then fixed so that its first entry at
 * least half as large as its largest is positive (the map does not mirror
 * between recomputations). A second component whose eigenvalue is below 1e-10
 * of the first is set to 0 (Polis would return a normalised rounding-noise vector).
 */
import { seededRandom } from "../seeded-random";
import type { VoteMatrix } from "./vote-matrix";

export interface PcaResult {
  /** Column means (length nCols). */
  center: Float64Array;
  /** Unit-length components over all columns (excluded columns have 0 entries). */
  components: Float64Array[];
  /** Products computed per component. */
  iterations: number[];
}

/** An eigenvalue below this fraction of the first is rounding noise. */
const ZERO_EIGENVALUE = 1e-10;

/**
 * The centred values of the votes, aligned with `m.colIndex`: x − c_j on
 * included columns, 0 on excluded ones (so the products need no test).
 */
function centredValues(m: VoteMatrix, center: Float64Array): Float64Array {
  const centred = new Float64Array(m.colIndex.length);
  for (let k = 0; k < centred.length; k++) {
    const c = m.colIndex[k];
    centred[k] = m.colIncluded[c] ? m.values[k] - center[c] : 0;
  }
  return centred;
}

/**
 * XcᵀXc v for the centred sparse matrix (two passes over the votes).
 * @param out receives the product (length nCols), overwritten
 */
function xtxr(m: VoteMatrix, centred: Float64Array, v: Float64Array, out: Float64Array): void {
  out.fill(0);
  const { rowStart, colIndex } = m;
  for (let r = 0; r < m.nRows; r++) {
    const end = rowStart[r + 1];
    let s = 0;
    for (let k = rowStart[r]; k < end; k++) s += centred[k] * v[colIndex[k]];
    if (s === 0) continue;
    for (let k = rowStart[r]; k < end; k++) out[colIndex[k]] += s * centred[k];
  }
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** v ← v − (u·v) u for each unit vector u in `basis` (Polis `factor-matrix`, applied to a vector). */
function factorOut(v: Float64Array, basis: readonly Float64Array[]): void {
  for (const u of basis) {
    const d = dot(u, v);
    if (d !== 0) for (let i = 0; i < v.length; i++) v[i] -= d * u[i];
  }
}

/**
 * First `nComponents` principal components of the included columns.
 * @param m the vote matrix
 * @param center column means ({@link columnMeans})
 * @param iterations Polis `:pca-iters` (100)
 * @param seed seed of the start vectors
 */
export function powerIterationPca(m: VoteMatrix, center: Float64Array, nComponents: number, iterations: number, seed: number): PcaResult {
  const random = seededRandom(seed);
  const components: Float64Array[] = [];
  const steps: number[] = [];
  const n = m.nCols;
  const product = new Float64Array(n);
  const centred = centredValues(m, center);
  let firstEigenvalue = 0;
  for (let comp = 0; comp < nComponents; comp++) {
    // Start vector: pseudo-random in [0, 1) on included columns (Polis `rand-starting-vec`).
    let v = new Float64Array(n);
    for (let c = 0; c < n; c++) v[c] = m.colIncluded[c] ? random() : 0;
    let lastEigenvalue = 0;
    let taken = 0;
    for (let left = iterations; ; left--) {
      const u = v.slice();
      factorOut(u, components);
      xtxr(m, centred, u, product);
      factorOut(product, components);
      taken++;
      const eigenvalue = Math.sqrt(dot(product, product));
      const next = new Float64Array(n);
      if (eigenvalue > 0) for (let c = 0; c < n; c++) next[c] = product[c] / eigenvalue;
      v = next;
      const repeated = eigenvalue === lastEigenvalue;
      lastEigenvalue = eigenvalue;
      if (left === 0 || repeated) break;
    }
    // What is left after factoring out the earlier components may be rounding noise alone
    // (a rank-one matrix has no second component): a zero component, not a random direction.
    if (comp > 0 && lastEigenvalue <= ZERO_EIGENVALUE * firstEigenvalue) v.fill(0);
    if (comp === 0) firstEigenvalue = lastEigenvalue;
    orient(v);
    components.push(v);
    steps.push(taken);
  }
  return { center, components, iterations: steps };
}

/**
 * Flips v so that its first entry at least half as large as the largest is
 * positive (a rule that rounding cannot flip when two entries tie).
 */
function orient(v: Float64Array): void {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]));
  const first = v.find((x) => Math.abs(x) >= max / 2);
  if (first !== undefined && first < 0) for (let i = 0; i < v.length; i++) v[i] = -v[i];
}

/**
 * Participant positions (Polis `sparsity-aware-project-ptpts`).
 *
 * Polis's rating matrix has excluded (moderated-out or meta) columns set to 0
 * for every participant (`zero-out-columns`), so in its projection every
 * participant counts as having "voted" on each of them: n_votes = votes on
 * included columns + number of excluded columns, n_cols = all columns. We
 * reproduce that (see ADR 0050); their contribution to p_k is 0.
 * @returns x and y of each row (Float64Array, length nRows)
 */
export function projectParticipants(m: VoteMatrix, pca: PcaResult): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(m.nRows);
  const y = new Float64Array(m.nRows);
  const [pc1, pc2] = pca.components;
  const nExcluded = m.nCols - m.nIncluded;
  for (let r = 0; r < m.nRows; r++) {
    let p1 = 0;
    let p2 = 0;
    for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) {
      const c = m.colIndex[k];
      if (!m.colIncluded[c]) continue;
      const d = m.values[k] - pca.center[c];
      p1 += d * pc1[c];
      if (pc2) p2 += d * pc2[c];
    }
    const nVotes = m.rowIncludedVoteCount[r] + nExcluded;
    const scale = Math.sqrt(m.nCols / Math.max(nVotes, 1));
    x[r] = p1 * scale;
    y[r] = p2 * scale;
  }
  return { x, y };
}

/**
 * Where a participant who agreed with proposition j and nothing else would sit
 * (Polis `pca-project-cmnts`, with agree = +1): (1 − c_j) · pc_k[j] · √n_cols,
 * and its distance from the centre (`:comment-extremity`).
 * @returns arrays of length nCols
 */
export function placePropositions(m: VoteMatrix, pca: PcaResult): { x: Float64Array; y: Float64Array; extremity: Float64Array } {
  const x = new Float64Array(m.nCols);
  const y = new Float64Array(m.nCols);
  const extremity = new Float64Array(m.nCols);
  const [pc1, pc2] = pca.components;
  const scale = Math.sqrt(m.nCols);
  for (let c = 0; c < m.nCols; c++) {
    if (!m.colIncluded[c]) continue;
    const d = 1 - pca.center[c];
    x[c] = d * pc1[c] * scale;
    y[c] = pc2 ? d * pc2[c] * scale : 0;
    extremity[c] = Math.hypot(x[c], y[c]);
  }
  return { x, y, extremity };
}
