/**
 * Opinion groups (issue 11): Polis's method, pure and deterministic.
 * Entry points: {@link computeOpinionGroups} / {@link computeOpinionGroupsEncoded}
 * (the computation), {@link presentOpinionGroups} (the API response),
 * {@link adjustedRandIndex} (comparing groupings). Run it off the event loop
 * with server/compute/runner.ts. Method and sources: docs/decisions/0050.
 */
export { computeOpinionGroups, computeOpinionGroupsEncoded } from "./compute";
export { encodeOpinionInput } from "./vote-matrix";
export { presentOpinionGroups, pendingOpinionGroups, type OpinionGroupsAudience, type OpinionGroupsResponse } from "./present";
export { adjustedRandIndex } from "./adjusted-rand";
export * from "./types";
