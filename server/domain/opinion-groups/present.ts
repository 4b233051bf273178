/**
 * The `GET /api/debates/:id/opinion-groups` response (issue 11) built from a
 * computed result, per audience:
 *  - "facilitator" (facilitators of the debate and API tokens): everything,
 *    members with their external id (Polis participant id for imported
 *    debates, else null) and the map with participant ids;
 *  - "participant": group sizes and representative propositions, consensus
 *    and divisive propositions, their own group and position (`you`), and the
 *    map's dots without participant ids, sorted by group and position so
 *    that nothing about who is who (not even join order) leaks;
 *  - "observer": the same without `you`.
 * Pure: the caller supplies computedAt and the external ids.
 */
import type { ConsensusProposition, DivisiveProposition, OpinionGroupsResult, TooFewVotes } from "./types";

export type OpinionGroupsAudience =
  | { kind: "facilitator"; externalIdOf?: (participantId: string) => string | null }
  | { kind: "participant"; participantId: string }
  | { kind: "observer" };

export interface OpinionGroupsResponse {
  status: "ready" | "pending" | "too-few-votes";
  /** ISO 8601 time of the computation; null while pending with nothing computed yet. */
  computedAt: string | null;
  /** Why there are no groups, in a sentence; null when ready. */
  reason: string | null;
  /** `reason` as data, for the results page's own sentence; null when ready or not known. */
  tooFew: TooFewVotes | null;
  participantsClustered: number;
  groups: {
    id: number;
    size: number;
    members?: { participantId: string; externalId: string | null }[];
    representative: { propositionId: string; direction: "agree" | "disagree"; agreeShare: number; disagreeShare: number; z: number }[];
  }[];
  consensus: ConsensusProposition[];
  divisive: DivisiveProposition[];
  map: ({ participantId: string; x: number; y: number; groupId: number | null } | { x: number; y: number; groupId: number | null })[];
  /** Directions of the propositions on the map (hover). */
  propositions: { propositionId: string; x: number; y: number }[];
  /** The viewing participant's own place (participants only); null when they are not on the map yet. */
  you?: { groupId: number | null; x: number; y: number } | null;
}

/** The response while the first computation is still running. */
export function pendingOpinionGroups(): OpinionGroupsResponse {
  return { status: "pending", computedAt: null, reason: null, tooFew: null, participantsClustered: 0, groups: [], consensus: [], divisive: [], map: [], propositions: [] };
}

/**
 * @param result the computation's result
 * @param computedAt when it was computed
 * @param audience who is asking
 */
export function presentOpinionGroups(result: OpinionGroupsResult, computedAt: Date, audience: OpinionGroupsAudience): OpinionGroupsResponse {
  const full = audience.kind === "facilitator";
  const externalIdOf = audience.kind === "facilitator" ? (audience.externalIdOf ?? (() => null)) : () => null;
  const response: OpinionGroupsResponse = {
    status: result.status,
    computedAt: computedAt.toISOString(),
    reason: result.reason,
    tooFew: result.tooFew ?? null,
    participantsClustered: result.participantsClustered,
    groups: result.groups.map((g) => ({
      id: g.id,
      size: g.size,
      ...(full ? { members: g.memberIds.map((participantId) => ({ participantId, externalId: externalIdOf(participantId) })) } : {}),
      representative: g.representative.map((r) => ({ propositionId: r.propositionId, direction: r.direction, agreeShare: r.agreeShare, disagreeShare: r.disagreeShare, z: r.z })),
    })),
    consensus: result.consensus,
    divisive: result.divisive,
    map: full
      ? result.map.map((p) => ({ participantId: p.participantId, x: p.x, y: p.y, groupId: p.groupId }))
      : result.map
          .map((p) => ({ x: p.x, y: p.y, groupId: p.groupId }))
          .sort((a, b) => (a.groupId ?? -1) - (b.groupId ?? -1) || a.x - b.x || a.y - b.y),
    propositions: result.propositions.map((p) => ({ propositionId: p.propositionId, x: p.x, y: p.y })),
  };
  if (audience.kind === "participant") {
    const me = result.map.find((p) => p.participantId === audience.participantId);
    response.you = me ? { groupId: me.groupId, x: me.x, y: me.y } : null;
  }
  return response;
}
