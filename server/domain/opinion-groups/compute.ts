/**
 * The whole opinion-group computation, votes in, groups out: Polis's
 * conversation update (compdemocracy/polis math/src/polismath/math/conversation.clj,
 * `small-conv-update-graph`) recomputed from scratch, without I/O.
 *
 *   votes → vote matrix (vote-matrix.ts) → column means and 2 principal
 *   components by power iteration (pca.ts) → every participant projected
 *   (sparsity-aware, scaled) → clustered participants (≥ min(7, n) votes,
 *   clustering.ts) → 100 base clusters by k-means → opinion groups by weighted
 *   k-means on the base clusters, k = 2…5 by silhouette → representative
 *   propositions (repness.ts), consensus and divisive propositions (consensus.ts).
 *
 * Same input, same output: no randomness except a fixed seed, no clock, no
 * hash-order dependence. Cost for 2,000 participants × 1,000 propositions with
 * 200,000 votes: see `npm run bench:groups` and docs/performance.md.
 */
import { chooseGroups, inConversationRows, inConversationThreshold } from "./clustering";
import { consensusPropositions, divisivePropositions, groupInformedConsensus } from "./consensus";
import { kmeans2d } from "./kmeans";
import { placePropositions, powerIterationPca, projectParticipants } from "./pca";
import { countGroupVotes, selectRepresentative, toRepresentative } from "./repness";
import {
  DEFAULT_OPINION_GROUPS_OPTIONS,
  type EncodedOpinionInput,
  type MapPoint,
  type OpinionGroup,
  type OpinionGroupsDiagnostics,
  type OpinionGroupsOptions,
  type OpinionGroupsResult,
  type OpinionInput,
  type PropositionPlacement,
  type TooFewVotes,
} from "./types";
import { buildVoteMatrix, columnMeans, encodeOpinionInput } from "./vote-matrix";

/** Object-input convenience: encodes, then {@link computeOpinionGroupsEncoded}. */
export function computeOpinionGroups(input: OpinionInput, options: Partial<OpinionGroupsOptions> = {}): OpinionGroupsResult {
  return computeOpinionGroupsEncoded(encodeOpinionInput(input), options);
}

/**
 * Computes opinion groups, representative, consensus and divisive
 * propositions and the opinion map.
 * @param input encoded votes ({@link encodeOpinionInput})
 * @param options Polis's defaults unless overridden (tests)
 * @returns status "too-few-votes" (with a reason, empty lists) when fewer than
 *   `minPropositions` included propositions have votes, fewer than
 *   `minParticipants` participants are clustered, or everyone clustered sits
 *   at one point; otherwise "ready".
 * @throws RangeError on corrupt encoded input (index or value out of range)
 */
export function computeOpinionGroupsEncoded(input: EncodedOpinionInput, options: Partial<OpinionGroupsOptions> = {}): OpinionGroupsResult {
  const o: OpinionGroupsOptions = { ...DEFAULT_OPINION_GROUPS_OPTIONS, ...options };
  const m = buildVoteMatrix(input);
  const diagnostics: OpinionGroupsDiagnostics = {
    participantsWithVotes: m.nRows,
    propositionsWithVotes: m.nCols,
    propositionsIncluded: m.nIncluded,
    inConversationThreshold: inConversationThreshold(m.nCols),
    baseClusters: 0,
    silhouettes: [],
    chosenK: null,
    pcaIterations: [],
  };
  const tooFew = (reason: string, why: TooFewVotes): OpinionGroupsResult => ({
    status: "too-few-votes",
    reason,
    tooFew: why,
    participantsClustered: 0,
    groups: [],
    consensus: [],
    divisive: [],
    map: [],
    propositions: [],
    diagnostics,
  });

  if (m.nIncluded < o.minPropositions) {
    return tooFew(`Opinion groups need votes on at least ${o.minPropositions} propositions that are neither hidden nor meta; this debate has ${m.nIncluded}.`, { kind: "propositions", needed: o.minPropositions, has: m.nIncluded });
  }
  const clusteredRows = inConversationRows(m);
  if (clusteredRows.length < o.minParticipants) {
    return tooFew(`Opinion groups need at least ${o.minParticipants} participants who voted; this debate has ${clusteredRows.length}.`, { kind: "participants", needed: o.minParticipants, has: clusteredRows.length });
  }

  const center = columnMeans(m);
  const pca = powerIterationPca(m, center, 2, o.pcaIterations, o.seed);
  diagnostics.pcaIterations = pca.iterations;
  const position = projectParticipants(m, pca);

  // Base clusters on the clustered participants, in row order.
  const bx = Float64Array.from(clusteredRows, (r) => position.x[r]);
  const by = Float64Array.from(clusteredRows, (r) => position.y[r]);
  const base = kmeans2d(bx, by, o.baseK, { maxIterations: o.baseIterations });
  diagnostics.baseClusters = base.length;
  const selection = chooseGroups(base, o.maxGroups, o.groupIterations);
  diagnostics.silhouettes = selection.tried.map((t) => ({ k: t.k, silhouette: t.silhouette }));
  diagnostics.chosenK = selection.chosen?.k ?? null;
  if (!selection.chosen || selection.chosen.clusters.length < 2) {
    return tooFew("Everyone who voted enough sits at the same point of the opinion map, so there is nothing to tell groups apart yet.", { kind: "samePoint" });
  }

  // Groups → rows; ordered by size (largest first), ties by centre.
  const raw = selection.chosen.clusters.map((g) => {
    const rows: number[] = [];
    for (const b of g.members) for (const i of base[b].members) rows.push(clusteredRows[i]);
    return { rows, x: g.x, y: g.y };
  });
  raw.sort((a, b) => b.rows.length - a.rows.length || a.x - b.x || a.y - b.y);
  const groupOfRow = new Int32Array(m.nRows).fill(-1);
  raw.forEach((g, id) => {
    for (const r of g.rows) groupOfRow[r] = id;
  });

  const counts = countGroupVotes(m, groupOfRow, raw.length);
  const includedColumns: number[] = [];
  for (let c = 0; c < m.nCols; c++) if (m.colIncluded[c]) includedColumns.push(c);
  const propositionIdOf = (col: number) => input.propositionIds[m.colProposition[col]];
  const participantIdOf = (row: number) => input.participantIds[m.rowParticipant[row]];
  const byParticipant = (a: number, b: number) => m.rowParticipant[a] - m.rowParticipant[b];

  const groups: OpinionGroup[] = raw.map((g, id) => ({
    id,
    size: g.rows.length,
    memberIds: [...g.rows].sort(byParticipant).map(participantIdOf),
    center: { x: g.x, y: g.y },
    representative: selectRepresentative(counts, id, includedColumns).map((f) => toRepresentative(f, propositionIdOf(f.col))),
  }));

  const allRows = Array.from({ length: m.nRows }, (_, r) => r).sort(byParticipant);
  const map: MapPoint[] = allRows.map((r) => ({
    participantId: participantIdOf(r),
    x: position.x[r],
    y: position.y[r],
    groupId: groupOfRow[r] >= 0 ? groupOfRow[r] : null,
  }));

  const placed = placePropositions(m, pca);
  const propositions: PropositionPlacement[] = includedColumns.map((c) => ({
    propositionId: propositionIdOf(c),
    x: placed.x[c],
    y: placed.y[c],
    extremity: placed.extremity[c],
    groupInformedConsensus: groupInformedConsensus(counts, c, "agree"),
  }));

  return {
    status: "ready",
    reason: null,
    tooFew: null,
    participantsClustered: clusteredRows.length,
    groups,
    consensus: consensusPropositions(counts, includedColumns, propositionIdOf),
    divisive: divisivePropositions(counts, includedColumns, propositionIdOf),
    map,
    propositions,
    diagnostics,
  };
}
