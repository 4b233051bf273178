/**
 * A small L2-regularised logistic regression, fitted by Newton's method (iteratively reweighted
 * least squares), for learning the claim scorer's weights (ADR 0056). Plain TypeScript: the
 * problems here have a few hundred rows and a few dozen columns.
 */

/** Options of {@link fitLogistic}. */
export interface LogisticOptions {
  /** L2 penalty λ on each coefficient (added as λ·w² / 2 to the negative log-likelihood). */
  l2: number;
  /** Per column, whether it is penalised (default: every column). An intercept column should not be. */
  penalised?: boolean[];
  /** Newton steps at most (default 50). */
  iterations?: number;
}

/** The logistic function. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Fits coefficients `w` maximising Σ log p(yᵢ | xᵢ) − Σ λ/2 · wⱼ² (penalised columns only), where
 * p(1 | x) = σ(w·x). Include a column of ones for an intercept.
 * @param x rows of equal length.
 * @param y labels, 0 or 1, one per row.
 * @returns the coefficients, one per column.
 * @throws RangeError when the rows are ragged or `y` does not match.
 */
export function fitLogistic(x: number[][], y: number[], options: LogisticOptions): number[] {
  const n = x.length;
  const d = x[0]?.length ?? 0;
  if (y.length !== n || x.some((r) => r.length !== d)) throw new RangeError("fitLogistic: x must be rectangular with one label per row.");
  const pen = options.penalised ?? new Array<boolean>(d).fill(true);
  const w = new Array<number>(d).fill(0);
  for (let it = 0; it < (options.iterations ?? 50); it++) {
    const grad = w.map((wj, j) => (pen[j] ? options.l2 * wj : 0));
    const hess = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, k) => (j === k ? (pen[j] ? options.l2 : 1e-9) : 0)));
    for (let i = 0; i < n; i++) {
      const row = x[i]!;
      const p = sigmoid(row.reduce((s, v, j) => s + v * w[j]!, 0));
      const r = p - y[i]!;
      const h = p * (1 - p);
      for (let j = 0; j < d; j++) {
        if (row[j] === 0) continue;
        grad[j]! += r * row[j]!;
        for (let k = 0; k < d; k++) hess[j]![k]! += h * row[j]! * row[k]!;
      }
    }
    const step = solve(hess, grad);
    let change = 0;
    for (let j = 0; j < d; j++) {
      w[j]! -= step[j]!;
      change = Math.max(change, Math.abs(step[j]!));
    }
    if (change < 1e-8) break;
  }
  return w;
}

/** Mean negative log-likelihood of labels under coefficients `w` (lower is better). */
export function logLoss(x: number[][], y: number[], w: number[]): number {
  let s = 0;
  x.forEach((row, i) => {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, sigmoid(row.reduce((a, v, j) => a + v * w[j]!, 0))));
    s -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
  });
  return x.length === 0 ? 0 : s / x.length;
}

/** Solves A·s = b by Gaussian elimination with partial pivoting (A symmetric positive definite here). */
function solve(a: number[][], b: number[]): number[] {
  const d = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[piv]![c]!)) piv = r;
    [m[c], m[piv]] = [m[piv]!, m[c]!];
    const pc = m[c]![c]!;
    if (Math.abs(pc) < 1e-15) continue;
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pc;
      if (f === 0) continue;
      for (let k = c; k <= d; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-15 ? 0 : row[d]! / row[i]!));
}
