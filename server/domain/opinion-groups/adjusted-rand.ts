/**
 * Adjusted Rand index between two partitions of the same items
 * (Hubert & Arabie, "Comparing partitions", Journal of Classification 2, 1985).
 *
 * With n_ij the contingency table, a_i its row sums, b_j its column sums and
 * C(x) = x(x − 1)/2:
 *   ARI = (Σ C(n_ij) − Σ C(a_i) Σ C(b_j) / C(n)) / (½ (Σ C(a_i) + Σ C(b_j)) − Σ C(a_i) Σ C(b_j) / C(n)).
 * 1 for identical partitions (up to relabelling), about 0 for independent ones.
 * When both partitions are trivial in the same way (the denominator is 0) the
 * index is 1, as scikit-learn's adjusted_rand_score returns.
 */

/**
 * @param a label of each item in the first partition
 * @param b label of each item in the second (same length, same item order)
 * @throws RangeError when the lengths differ
 */
export function adjustedRandIndex(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  if (a.length !== b.length) throw new RangeError(`The partitions cover ${a.length} and ${b.length} items; they must cover the same items.`);
  const n = a.length;
  const c2 = (x: number) => (x * (x - 1)) / 2;
  const cells = new Map<string, number>();
  const rows = new Map<string | number, number>();
  const cols = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${typeof a[i]}:${a[i]}\u0000${typeof b[i]}:${b[i]}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  let index = 0;
  for (const v of cells.values()) index += c2(v);
  let sumA = 0;
  for (const v of rows.values()) sumA += c2(v);
  let sumB = 0;
  for (const v of cols.values()) sumB += c2(v);
  const total = c2(n);
  const expected = total > 0 ? (sumA * sumB) / total : 0;
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
