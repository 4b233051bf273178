/**
 * Shapes of the opinion-group computation: what goes in (participants,
 * propositions, current votes) and what comes out (groups, representative
 * propositions, consensus, divisive propositions, the opinion map).
 *
 * The method is Polis's math engine (compdemocracy/polis,
 * math/src/polismath/math/); docs/decisions/0050-opinion-groups-polis-method.md
 * gives every formula with the file and function it comes from.
 */

/** A vote as Steelman stores it. */
export type OpinionVoteValue = "agree" | "disagree" | "unsure";

/** Numeric vote: agree +1, disagree −1, unsure (Polis "pass") 0. Missing votes are absent, never 0. */
export const VOTE_NUMBER: Readonly<Record<OpinionVoteValue, 1 | -1 | 0>> = { agree: 1, disagree: -1, unsure: 0 };

export interface OpinionProposition {
  id: string;
  /**
   * Left out of the clustering (still shown elsewhere): hidden by a facilitator
   * (Polis: moderated −1) or marked meta (about the participants, Polis `is_meta`).
   */
  excluded: boolean;
}

export interface OpinionVote {
  participantId: string;
  propositionId: string;
  value: OpinionVoteValue;
}

/**
 * Input in object form (see {@link encodeOpinionInput} for the typed-array form
 * the computation and the worker thread use).
 */
export interface OpinionInput {
  /** Participant ids in the order they joined (Polis's pid order). Participants without votes are allowed and ignored. */
  participantIds: readonly string[];
  /** Propositions in creation order (Polis's tid order). */
  propositions: readonly OpinionProposition[];
  /** Current votes, at most one per participant and proposition (a repeated pair: the later entry wins, as in Polis's update-nmat). */
  votes: readonly OpinionVote[];
}

/**
 * The same input as typed arrays: vote i is participant `voteParticipant[i]`
 * (index into participantIds) on proposition `voteProposition[i]` (index into
 * propositionIds) with value `voteValue[i]` ∈ {+1, −1, 0}. Cheap to send to a
 * worker thread (the buffers are transferred, not copied).
 */
export interface EncodedOpinionInput {
  participantIds: string[];
  propositionIds: string[];
  /** 1 = proposition excluded from the clustering (hidden or meta), 0 = included. */
  excluded: Uint8Array;
  voteParticipant: Int32Array;
  voteProposition: Int32Array;
  voteValue: Int8Array;
}

/** Tunables; the defaults are Polis's (conversation.clj, base-conv-update-graph `:opts'`). */
export interface OpinionGroupsOptions {
  /** k of the base clustering (Polis `:base-k` 100). */
  baseK: number;
  /** Largest number of opinion groups tried (Polis `:max-k` 5). */
  maxGroups: number;
  /** Power-iteration steps per component (Polis `:pca-iters` 100). */
  pcaIterations: number;
  /** k-means steps of the base clustering (Polis `:base-iters` 100). */
  baseIterations: number;
  /** k-means steps of the group clustering (Polis's kmeans default `:max-iters` 20; see ADR 0050). */
  groupIterations: number;
  /** Seed of the power iteration's start vectors (Polis draws them with `rand`; we seed for determinism). */
  seed: number;
  /** Fewest participants in the clustering for groups to be shown. */
  minParticipants: number;
  /** Fewest included propositions with votes for groups to be shown. */
  minPropositions: number;
}

export const DEFAULT_OPINION_GROUPS_OPTIONS: Readonly<OpinionGroupsOptions> = Object.freeze({
  baseK: 100,
  maxGroups: 5,
  pcaIterations: 100,
  baseIterations: 100,
  groupIterations: 20,
  seed: 0x5eed_2012,
  minParticipants: 4,
  minPropositions: 2,
});

/** A proposition that characterises a group (Polis repness, repness.clj). */
export interface RepresentativeProposition {
  propositionId: string;
  /** Whether the group stands out by agreeing or by disagreeing. */
  direction: "agree" | "disagree";
  /** Share of the group's votes on it that agree (agree / votes seen, unsure included; 0 with no votes). */
  agreeShare: number;
  /** Share of the group's votes on it that disagree. */
  disagreeShare: number;
  /** Two-proportion z of the group against everyone clustered outside it (Polis `rat` / `rdt`). */
  z: number;
  /** Group's vote count on it (Polis `ns`). */
  votes: number;
  /** Representativeness ratio: the group's pseudo-count share over the rest's (Polis `ra` / `rd`). */
  ratio: number;
  /** True when Polis's selection put it first as the group's best-agreed proposition (`:best-agree`). */
  bestAgree: boolean;
}

export interface OpinionGroup {
  /** 0, 1, … in decreasing size (ties: smaller x of the centre first). */
  id: number;
  size: number;
  /** Participant ids, in the input's participant order. */
  memberIds: string[];
  /** Centre on the opinion map (weighted mean of its base clusters). */
  center: { x: number; y: number };
  representative: RepresentativeProposition[];
}

/** A proposition's votes within one group. */
export interface GroupVotes {
  groupId: number;
  agree: number;
  disagree: number;
  /** Votes seen (agree + disagree + unsure). */
  votes: number;
  agreeShare: number;
  disagreeShare: number;
}

/** A proposition agreed (or rejected) by a majority of every group. */
export interface ConsensusProposition {
  propositionId: string;
  direction: "agree" | "disagree";
  /**
   * Polis's group-informed consensus for this direction: the product over groups of
   * (n + 1) / (seen + 2), n = agrees (or disagrees) (conversation.clj `:group-aware-consensus`).
   */
  groupInformedConsensus: number;
  groups: GroupVotes[];
}

/** A proposition on which the groups split: one group's majority agrees while another's disagrees. */
export interface DivisiveProposition {
  propositionId: string;
  /** Largest difference of agree shares between two groups (0..1). */
  spread: number;
  /** Two-proportion z (Polis's stats.clj `two-prop-test`) of the most-agreeing group against the least-agreeing one. */
  z: number;
  groups: GroupVotes[];
}

export interface MapPoint {
  participantId: string;
  x: number;
  y: number;
  /** null: projected but not clustered (fewer than min(7, propositions) votes). */
  groupId: number | null;
}

/** Where agreeing with one proposition alone puts a participant on the map (Polis `pca-project-cmnts`). */
export interface PropositionPlacement {
  propositionId: string;
  x: number;
  y: number;
  /** Distance from the centre (Polis `:comment-extremity`). */
  extremity: number;
  /** Group-informed consensus of agreement (see {@link ConsensusProposition}); null when no group exists. */
  groupInformedConsensus: number | null;
}

export interface OpinionGroupsDiagnostics {
  /** Participants with at least one vote (rows of the vote matrix). */
  participantsWithVotes: number;
  /** Propositions with at least one vote (columns), and how many of them are included in the clustering. */
  propositionsWithVotes: number;
  propositionsIncluded: number;
  /** Votes needed to be clustered: min(7, propositionsWithVotes). */
  inConversationThreshold: number;
  baseClusters: number;
  /** Silhouette of each k tried, k = 2, 3, …; the chosen k has the largest (ties: the larger k). */
  silhouettes: { k: number; silhouette: number }[];
  chosenK: number | null;
  /** Power-iteration steps taken per component. */
  pcaIterations: number[];
}

/**
 * Why there are no groups, as data (for a page to say it in its own language): too few propositions or
 * participants with votes (`needed`, and what the debate `has`), or everyone at the same point.
 */
export type TooFewVotes = { kind: "propositions" | "participants"; needed: number; has: number } | { kind: "samePoint" };

export interface OpinionGroupsResult {
  status: "ready" | "too-few-votes";
  /** Why the status is too-few-votes, in a sentence; null when ready. */
  reason: string | null;
  /** `reason` as data; null when ready (absent from results stored before it existed). */
  tooFew?: TooFewVotes | null;
  participantsClustered: number;
  groups: OpinionGroup[];
  consensus: ConsensusProposition[];
  divisive: DivisiveProposition[];
  map: MapPoint[];
  propositions: PropositionPlacement[];
  diagnostics: OpinionGroupsDiagnostics;
}
