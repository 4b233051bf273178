/**
 * Who is clustered, base clusters, and opinion groups with k chosen by silhouette.
 *
 * Source: compdemocracy/polis math/src/polismath/math/conversation.clj
 *  - `:in-conv`: a participant is clustered once they voted on at least
 *    min(7, n_comments) comments (votes on hidden and meta comments count,
 *    n_comments counts every comment with a vote); when fewer than 15
 *    participants qualify, the most active others are added until there are 15
 *    (`greedy-n`). Polis also keeps anyone once clustered; a recomputation from
 *    scratch has no "once", see ADR 0050;
 *  - `:base-clusters`: k-means with k = 100 (`:base-k`) on the clustered
 *    participants' 2-D positions, 100 steps (`:base-iters`);
 *  - `:group-clusterings`: weighted k-means of the base-cluster centres,
 *    weights = base-cluster sizes, for k = 2 … `max-k-fn` =
 *    min(5, 2 + ⌊n_base / 12⌋); `kmeans` is called with `:cluster-iters`, a
 *    key it does not read, so its default of 20 steps applies;
 *  - `:group-clusterings-silhouettes`, `:group-k-smoother`: the k with the
 *    largest silhouette over base-cluster centres (`apply max-key`: the larger
 *    k on a tie). Polis switches to a new k only after it won 4 updates in a
 *    row (`:group-k-buffer`); a stateless recomputation takes the best k now.
 */
import { kmeans2d, silhouette, type Cluster2d } from "./kmeans";
import type { VoteMatrix } from "./vote-matrix";

/** Polis's in-conv minimum: min(7, n_cols). */
export const inConversationThreshold = (nCols: number) => Math.min(7, nCols);

/** Polis `greedy-n`. */
export const GREEDY_IN_CONVERSATION = 15;

/**
 * Rows (ascending) of the participants who take part in the clustering.
 * Ties among the "most active" top-up are broken by row order.
 */
export function inConversationRows(m: VoteMatrix): number[] {
  const threshold = inConversationThreshold(m.nCols);
  const inConv = new Uint8Array(m.nRows);
  let count = 0;
  for (let r = 0; r < m.nRows; r++) {
    if (m.rowVoteCount[r] >= threshold) {
      inConv[r] = 1;
      count++;
    }
  }
  if (count < GREEDY_IN_CONVERSATION) {
    const others: number[] = [];
    for (let r = 0; r < m.nRows; r++) if (!inConv[r]) others.push(r);
    others.sort((a, b) => m.rowVoteCount[b] - m.rowVoteCount[a] || a - b);
    for (const r of others.slice(0, GREEDY_IN_CONVERSATION - count)) inConv[r] = 1;
  }
  const rows: number[] = [];
  for (let r = 0; r < m.nRows; r++) if (inConv[r]) rows.push(r);
  return rows;
}

/** Polis `max-k-fn`: min(maxGroups, 2 + ⌊n_base / 12⌋). */
export const maxGroupCount = (nBaseClusters: number, maxGroups: number) => Math.min(maxGroups, 2 + Math.floor(nBaseClusters / 12));

export interface GroupClustering {
  k: number;
  silhouette: number;
  /** Groups as lists of base-cluster indexes (positions in the base-cluster array). */
  clusters: Cluster2d[];
}

export interface GroupSelection {
  chosen: GroupClustering | null;
  tried: GroupClustering[];
}

/**
 * Opinion groups from base clusters: weighted k-means for each k, silhouette
 * over the base-cluster centres, the best k kept.
 * @param base base clusters sorted by id (their order is the data order of the group k-means)
 */
export function chooseGroups(base: readonly Cluster2d[], maxGroups: number, iterations: number): GroupSelection {
  if (base.length === 0) return { chosen: null, tried: [] };
  const xs = Float64Array.from(base, (b) => b.x);
  const ys = Float64Array.from(base, (b) => b.y);
  const weights = Float64Array.from(base, (b) => b.members.length);
  const distance = (i: number, j: number) => Math.hypot(xs[i] - xs[j], ys[i] - ys[j]);
  const tried: GroupClustering[] = [];
  const kMax = maxGroupCount(base.length, maxGroups);
  for (let k = 2; k <= kMax; k++) {
    const clusters = kmeans2d(xs, ys, k, { maxIterations: iterations, weights });
    tried.push({ k, clusters, silhouette: silhouette(distance, clusters.map((c) => c.members)) });
  }
  let chosen: GroupClustering | null = null;
  for (const t of tried) if (!chosen || t.silhouette >= chosen.silhouette) chosen = t;
  return { chosen, tried };
}
