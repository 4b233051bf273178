/**
 * k-means on 2-D points, optionally weighted, and the silhouette coefficient,
 * as Polis computes them.
 *
 * Source: compdemocracy/polis math/src/polismath/math/clusters.clj
 *  - `init-clusters`: the first k distinct points, in data order, are the
 *    initial centres (cluster ids 0..k−1 in that order);
 *  - `cluster-step`: each point joins the closest centre (Euclidean,
 *    `add-to-closest`); clusters left empty are dropped; each centre becomes
 *    the (weighted) mean of its points, Σ wᵢxᵢ / Σ wᵢ (`weighted-mean`);
 *  - `kmeans`: steps until `same-clustering?` (centres, each list sorted,
 *    pairwise closer than 0.01) or after `max-iters` + 1 steps;
 *  - `silhouette`: per point, a = mean distance to the other members of its
 *    cluster, b = the smallest mean distance to another cluster's members,
 *    s = (b − a) / max(a, b), and s = 0 for a point alone in its cluster;
 *    the clustering's silhouette is the unweighted mean of s over its points.
 *
 * Ties: Polis's `min-key` keeps the last of equally close clusters in a hash
 * map's order, which cannot be reproduced; we keep the first (lowest id).
 * Exact ties need a point exactly between two centres.
 */

export interface Cluster2d {
  /** Stable id: the index of the initial centre. */
  id: number;
  /** Indexes of the points in this cluster, ascending. */
  members: number[];
  x: number;
  y: number;
}

export interface KmeansOptions {
  /** Polis `:max-iters` (kmeans default 20; base clustering 100). */
  maxIterations: number;
  /** Weight of each point (Polis: base-cluster sizes for the group clustering). */
  weights?: Float64Array;
}

/**
 * Polis's k-means from scratch (no previous clustering).
 * @param xs x of each point
 * @param ys y of each point (same length)
 * @param k number of clusters wanted; fewer come out when there are fewer distinct points
 * @returns clusters sorted by id, none empty
 * @throws RangeError when the coordinate arrays differ in length or k < 1
 */
export function kmeans2d(xs: Float64Array, ys: Float64Array, k: number, options: KmeansOptions): Cluster2d[] {
  if (xs.length !== ys.length) throw new RangeError("x and y coordinate arrays differ in length.");
  if (!(k >= 1)) throw new RangeError(`k must be at least 1, got ${k}.`);
  const n = xs.length;
  if (n === 0) return [];
  // init-clusters: first k distinct points.
  const centres: { id: number; x: number; y: number }[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n && centres.length < k; i++) {
    const key = `${xs[i]},${ys[i]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    centres.push({ id: centres.length, x: xs[i], y: ys[i] });
  }
  let clusters: Cluster2d[] = centres.map((c) => ({ ...c, members: [] }));
  for (let left = options.maxIterations; ; left--) {
    const next = clusterStep(xs, ys, clusters, options.weights);
    if (left === 0 || sameClustering(clusters, next)) return next;
    clusters = next;
  }
}

/** One Polis `cluster-step`: assign to the closest centre, drop empty clusters, recentre. */
function clusterStep(xs: Float64Array, ys: Float64Array, clusters: Cluster2d[], weights?: Float64Array): Cluster2d[] {
  const k = clusters.length;
  const n = xs.length;
  const cx = Float64Array.from(clusters, (c) => c.x);
  const cy = Float64Array.from(clusters, (c) => c.y);
  const assigned = new Int32Array(n);
  const size = new Int32Array(k);
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const sw = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const y = ys[i];
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < k; c++) {
      const dx = x - cx[c];
      const dy = y - cy[c];
      const d = dx * dx + dy * dy;
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    assigned[i] = best;
    size[best]++;
    const w = weights ? weights[i] : 1;
    sx[best] += w * x;
    sy[best] += w * y;
    sw[best] += w;
  }
  const members: number[][] = clusters.map((_, c) => new Array<number>(size[c]));
  const fill = new Int32Array(k);
  for (let i = 0; i < n; i++) members[assigned[i]][fill[assigned[i]]++] = i;
  const next: Cluster2d[] = [];
  for (let c = 0; c < k; c++) {
    if (size[c] === 0) continue;
    next.push({ id: clusters[c].id, members: members[c], x: sx[c] / sw[c], y: sy[c] / sw[c] });
  }
  return next;
}

/** Polis `same-clustering?`: both centre lists sorted (by x, then y), zipped, every pair closer than 0.01. */
export function sameClustering(a: readonly { x: number; y: number }[], b: readonly { x: number; y: number }[], threshold = 0.01): boolean {
  const sort = (list: readonly { x: number; y: number }[]) => [...list].sort((p, q) => p.x - q.x || p.y - q.y);
  const sa = sort(a);
  const sb = sort(b);
  const n = Math.min(sa.length, sb.length);
  for (let i = 0; i < n; i++) if (Math.hypot(sa[i].x - sb[i].x, sa[i].y - sb[i].y) >= threshold) return false;
  return true;
}

/**
 * Polis `silhouette` of a clustering of points (unweighted).
 * @param distance distance between points i and j
 * @param clusters each cluster's member point indexes; every point must be in exactly one cluster
 * @returns the mean silhouette over all members, in [−1, 1]; 0 for an empty clustering
 */
export function silhouette(distance: (i: number, j: number) => number, clusters: readonly (readonly number[])[]): number {
  let total = 0;
  let count = 0;
  for (let own = 0; own < clusters.length; own++) {
    for (const i of clusters[own]) {
      count++;
      if (clusters[own].length === 1) continue; // s = 0
      let a = 0;
      for (const j of clusters[own]) if (j !== i) a += distance(i, j);
      a /= clusters[own].length - 1;
      let b = Infinity;
      for (let other = 0; other < clusters.length; other++) {
        if (other === own || clusters[other].length === 0) continue;
        let d = 0;
        for (const j of clusters[other]) d += distance(i, j);
        b = Math.min(b, d / clusters[other].length);
      }
      if (b === Infinity) continue; // one cluster only: Polis divides (b − a) by a, we count 0
      const denominator = Math.max(a, b);
      total += denominator > 0 ? (b - a) / denominator : 0;
    }
  }
  return count > 0 ? total / count : 0;
}
