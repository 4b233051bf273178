/**
 * The participants × propositions vote matrix, stored sparse (compressed rows):
 * agree +1, disagree −1, unsure 0, no vote absent.
 *
 * Source: Polis's rating matrix (math/src/polismath/math/conversation.clj,
 * `:raw-rating-mat`, `:rating-mat`; named_matrix.clj `update-nmat`,
 * `zero-out-columns`). Polis adds a row per participant and a column per
 * comment the first time a vote names them, so only participants and
 * propositions with at least one vote exist in the matrix. Polis's internal
 * vote encoding is agree −1, disagree +1 (repness.clj: "XXX - Change when we
 * flip votes"); the math is symmetric under that sign flip and we use the
 * export's convention (agree +1), counting agrees where Polis counts −1.
 */
import { VOTE_NUMBER, type EncodedOpinionInput, type OpinionInput } from "./types";

/**
 * Turns object input into typed arrays (one pass, a Map lookup per vote).
 * @throws TypeError when a vote names a participant or proposition that is not in the lists,
 *   a value other than agree / disagree / unsure, or when ids repeat.
 */
export function encodeOpinionInput(input: OpinionInput): EncodedOpinionInput {
  const encoder = opinionInputEncoder(input);
  encoder.encode(0, input.votes.length);
  return encoder.result;
}

/**
 * The same encoding, a range of votes at a time, so that a caller on a busy
 * thread can yield between ranges (server/compute/runner.ts does).
 */
export function opinionInputEncoder(input: OpinionInput): { result: EncodedOpinionInput; encode(from: number, to: number): void } {
  const participantIndex = indexOf(input.participantIds, "participant");
  const propositionIds = input.propositions.map((p) => p.id);
  const propositionIndex = indexOf(propositionIds, "proposition");
  const excluded = new Uint8Array(propositionIds.length);
  input.propositions.forEach((p, i) => (excluded[i] = p.excluded ? 1 : 0));
  const n = input.votes.length;
  const result: EncodedOpinionInput = {
    participantIds: [...input.participantIds],
    propositionIds,
    excluded,
    voteParticipant: new Int32Array(n),
    voteProposition: new Int32Array(n),
    voteValue: new Int8Array(n),
  };
  return {
    result,
    encode(from: number, to: number) {
      for (let i = from; i < to; i++) {
        const v = input.votes[i];
        const p = participantIndex.get(v.participantId);
        if (p === undefined) throw new TypeError(`Vote ${i} names participant "${v.participantId}", who is not in the participant list.`);
        const q = propositionIndex.get(v.propositionId);
        if (q === undefined) throw new TypeError(`Vote ${i} names proposition "${v.propositionId}", which is not in the proposition list.`);
        const value = VOTE_NUMBER[v.value];
        if (value === undefined) throw new TypeError(`Vote ${i} has the value "${String(v.value)}"; expected agree, disagree or unsure.`);
        result.voteParticipant[i] = p;
        result.voteProposition[i] = q;
        result.voteValue[i] = value;
      }
    },
  };
}

function indexOf(ids: readonly string[], what: string): Map<string, number> {
  const map = new Map<string, number>();
  ids.forEach((id, i) => {
    if (map.has(id)) throw new TypeError(`The ${what} id "${id}" appears twice in the ${what} list.`);
    map.set(id, i);
  });
  return map;
}

/**
 * Rows are participants with at least one vote, columns propositions with at
 * least one vote. Row r's votes are `colIndex[rowStart[r] .. rowStart[r+1])`
 * with values in `values` (+1, −1, 0), column indexes ascending.
 */
export interface VoteMatrix {
  nRows: number;
  nCols: number;
  /** Input participant index of each row. */
  rowParticipant: Int32Array;
  /** Input proposition index of each column. */
  colProposition: Int32Array;
  /** 1 when the column takes part in the clustering (not hidden, not meta). */
  colIncluded: Uint8Array;
  /** Number of included columns. */
  nIncluded: number;
  rowStart: Int32Array;
  colIndex: Int32Array;
  values: Int8Array;
  /** Votes per row over all columns, excluded ones too (Polis `:user-vote-counts`, from the raw matrix). */
  rowVoteCount: Int32Array;
  /** Votes per row on included columns only. */
  rowIncludedVoteCount: Int32Array;
}

/**
 * Builds the sparse matrix from encoded votes.
 *
 * Row order: Polis appends a row the first time a participant appears in the
 * vote stream, which it reads ordered by (tid, pid, created)
 * (components/postgres.clj `conv-poll`). For a matrix built from scratch that
 * is: participants who voted on the first proposition (in join order), then
 * those new on the second, and so on. The order matters: the k-means start
 * from the first k distinct points (clusters.clj `init-clusters`).
 * Column order: propositions with votes, in creation order.
 * A repeated (participant, proposition) pair keeps the later vote.
 * @throws RangeError when an index or value is out of range (corrupt encoded input).
 */
export function buildVoteMatrix(input: EncodedOpinionInput): VoteMatrix {
  const nParticipants = input.participantIds.length;
  const nPropositions = input.propositionIds.length;
  const { voteParticipant, voteProposition, voteValue } = input;
  const nVotes = voteParticipant.length;
  if (voteProposition.length !== nVotes || voteValue.length !== nVotes) throw new RangeError("The vote arrays differ in length.");
  if (input.excluded.length !== nPropositions) throw new RangeError("The excluded flags do not match the proposition list.");

  // Bucket votes by proposition (counting sort), then order each bucket by (participant, position in
  // the input); of a repeated pair the last, i.e. later, vote is kept.
  const bucketCount = new Int32Array(nPropositions);
  for (let i = 0; i < nVotes; i++) {
    const p = voteParticipant[i];
    const q = voteProposition[i];
    const v = voteValue[i];
    if (!(p >= 0 && p < nParticipants)) throw new RangeError(`Vote ${i} has participant index ${p}, outside 0..${nParticipants - 1}.`);
    if (!(q >= 0 && q < nPropositions)) throw new RangeError(`Vote ${i} has proposition index ${q}, outside 0..${nPropositions - 1}.`);
    if (v !== 1 && v !== -1 && v !== 0) throw new RangeError(`Vote ${i} has value ${v}; expected +1, −1 or 0.`);
    bucketCount[q]++;
  }
  const bucketStart = new Int32Array(nPropositions + 1);
  for (let q = 0; q < nPropositions; q++) bucketStart[q + 1] = bucketStart[q] + bucketCount[q];
  const cursorByProposition = bucketStart.slice(0, nPropositions);
  const bucketed = new Int32Array(nVotes);
  for (let i = 0; i < nVotes; i++) bucketed[cursorByProposition[voteProposition[i]]++] = i;
  const kept: number[] = [];
  const colCount = new Int32Array(nPropositions);
  for (let q = 0; q < nPropositions; q++) {
    const bucket = bucketed.subarray(bucketStart[q], bucketStart[q + 1]);
    bucket.sort((a, b) => voteParticipant[a] - voteParticipant[b] || a - b);
    for (let k = 0; k < bucket.length; k++) {
      if (k + 1 < bucket.length && voteParticipant[bucket[k + 1]] === voteParticipant[bucket[k]]) continue; // a later vote follows
      kept.push(bucket[k]);
      colCount[q]++;
    }
  }
  const order = Int32Array.from(kept);

  // Columns: propositions with votes, creation order.
  const colOfProposition = new Int32Array(nPropositions).fill(-1);
  const colPropositionList: number[] = [];
  for (let q = 0; q < nPropositions; q++) {
    if (colCount[q] > 0) {
      colOfProposition[q] = colPropositionList.length;
      colPropositionList.push(q);
    }
  }
  const nCols = colPropositionList.length;
  const colProposition = Int32Array.from(colPropositionList);
  const colIncluded = new Uint8Array(nCols);
  let nIncluded = 0;
  for (let c = 0; c < nCols; c++) {
    colIncluded[c] = input.excluded[colProposition[c]] ? 0 : 1;
    nIncluded += colIncluded[c];
  }

  // Rows: first appearance in that order.
  const rowOfParticipant = new Int32Array(nParticipants).fill(-1);
  const rowParticipantList: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const p = voteParticipant[order[k]];
    if (rowOfParticipant[p] === -1) {
      rowOfParticipant[p] = rowParticipantList.length;
      rowParticipantList.push(p);
    }
  }
  const nRows = rowParticipantList.length;
  const rowParticipant = Int32Array.from(rowParticipantList);

  // Compressed rows; iterating votes by ascending column keeps each row's columns ascending.
  const rowVoteCount = new Int32Array(nRows);
  const rowIncludedVoteCount = new Int32Array(nRows);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const r = rowOfParticipant[voteParticipant[i]];
    rowVoteCount[r]++;
    if (colIncluded[colOfProposition[voteProposition[i]]]) rowIncludedVoteCount[r]++;
  }
  const rowStart = new Int32Array(nRows + 1);
  for (let r = 0; r < nRows; r++) rowStart[r + 1] = rowStart[r] + rowVoteCount[r];
  const cursor = rowStart.slice(0, nRows);
  const colIndex = new Int32Array(order.length);
  const values = new Int8Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const r = rowOfParticipant[voteParticipant[i]];
    const at = cursor[r]++;
    colIndex[at] = colOfProposition[voteProposition[i]];
    values[at] = voteValue[i];
  }

  return { nRows, nCols, rowParticipant, colProposition, colIncluded, nIncluded, rowStart, colIndex, values, rowVoteCount, rowIncludedVoteCount };
}

/**
 * Mean of each column over the votes cast (unsure counts as 0), the value
 * Polis imputes for a missing vote (conversation.clj, small-conv-update-graph
 * `:mat`: "swap nils for per column average"). Excluded columns are all zero
 * in Polis's rating matrix (`zero-out-columns`), so their mean is 0.
 * @returns Float64Array of length nCols
 */
export function columnMeans(m: VoteMatrix): Float64Array {
  const sum = new Float64Array(m.nCols);
  const count = new Int32Array(m.nCols);
  for (let k = 0; k < m.colIndex.length; k++) {
    const c = m.colIndex[k];
    sum[c] += m.values[k];
    count[c]++;
  }
  const mean = new Float64Array(m.nCols);
  for (let c = 0; c < m.nCols; c++) mean[c] = m.colIncluded[c] && count[c] > 0 ? sum[c] / count[c] : 0;
  return mean;
}
