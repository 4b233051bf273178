/**
 * Who may do what in a debate: the one role × action table (mirrored in
 * docs/roles.md; tests/unit/permissions.test.ts checks the two agree and
 * tests/integration/roles.test.ts tries every cell against the server).
 *
 * The server enforces it in server/services/access.ts on every HTTP route and
 * socket event; the UI reads it only to hide what the server forbids anyway.
 *
 * On top of the table, four states refuse writes whatever the role:
 * - a closed debate is read-only for everyone (only `reopenDebate` and the read actions work);
 * - a draft debate accepts only facilitator actions (curation, publishing, settings);
 * - a locked proposition takes no new arguments, edits, sources, votes or ratings;
 * - a muted participant may read, vote, rate and report, but not post, edit, delete or add sources.
 * Removed participants are not participants any more: their token stops working.
 */
import type { ParticipantRole } from "./contract";

export const ROLES = ["host", "facilitator", "debater", "observer"] as const satisfies readonly ParticipantRole[];

/** Every action a participant can attempt. Values are stable identifiers (used in docs, errors and tests). */
export const Action = {
  readDebate: "readDebate",
  postArgument: "postArgument",
  editOwnArgument: "editOwnArgument",
  deleteOwnArgument: "deleteOwnArgument",
  addSource: "addSource",
  castVote: "castVote",
  rateArgument: "rateArgument",
  reportArgument: "reportArgument",
  editProposition: "editProposition",
  curatePropositions: "curatePropositions",
  publishDebate: "publishDebate",
  lockProposition: "lockProposition",
  hideArgument: "hideArgument",
  readModeration: "readModeration",
  manageParticipants: "manageParticipants",
  changeSettings: "changeSettings",
  closeDebate: "closeDebate",
  reopenDebate: "reopenDebate",
  appointFacilitator: "appointFacilitator",
} as const;
export type Action = (typeof Action)[keyof typeof Action];

const everyone = ["host", "facilitator", "debater", "observer"] as const;
const writers = ["host", "facilitator", "debater"] as const;
const facilitators = ["host", "facilitator"] as const;

/**
 * The table. Each action lists the roles allowed to attempt it, with what it
 * covers (the `what` text is what docs/roles.md shows).
 */
export const PERMISSIONS: Record<Action, { roles: readonly ParticipantRole[]; what: string }> = {
  readDebate: { roles: everyone, what: "Read the debate: article, propositions, arguments, tallies (and join its live updates)" },
  postArgument: { roles: writers, what: "Post an argument or a rebuttal" },
  editOwnArgument: { roles: writers, what: "Edit one's own argument (the earlier text is kept as a revision)" },
  deleteOwnArgument: { roles: writers, what: "Delete one's own argument (replies stay; facilitators keep the revisions)" },
  addSource: { roles: writers, what: "Add a source to one's own argument, or remove one" },
  castVote: { roles: writers, what: "Vote on a proposition (agree, disagree, unsure) or clear one's vote" },
  rateArgument: { roles: writers, what: "Rate an argument up or down, or clear one's rating" },
  reportArgument: { roles: writers, what: "Report an argument to the facilitators, with a reason" },
  editProposition: { roles: facilitators, what: "Reword a proposition or add one" },
  curatePropositions: { roles: facilitators, what: "Curate the draft: split, merge, move, delete propositions, re-draft from a section" },
  publishDebate: { roles: facilitators, what: "Publish a draft debate" },
  lockProposition: { roles: facilitators, what: "Lock or unlock a proposition" },
  hideArgument: { roles: facilitators, what: "Hide or unhide any argument, with a reason; dismiss reports" },
  readModeration: { roles: facilitators, what: "Read the moderation queue and the audit log, export the log as CSV" },
  manageParticipants: { roles: facilitators, what: "Rename, mute, unmute or remove a debater or observer; switch them between debater and observer" },
  changeSettings: { roles: facilitators, what: "Change visibility, rotate the join code, set the debate's rate limits" },
  closeDebate: { roles: facilitators, what: "Close the debate (read-only for everyone)" },
  reopenDebate: { roles: facilitators, what: "Reopen a closed debate" },
  appointFacilitator: { roles: ["host"], what: "Make a participant a facilitator (co-host) or turn a facilitator back into a debater; manage facilitators" },
};

/** Actions that still work in a closed debate. */
export const ALLOWED_WHEN_CLOSED: ReadonlySet<Action> = new Set<Action>([Action.readDebate, Action.readModeration, Action.reopenDebate]);

/** Actions a muted participant may not take. */
export const REFUSED_WHEN_MUTED: ReadonlySet<Action> = new Set<Action>([Action.postArgument, Action.editOwnArgument, Action.deleteOwnArgument, Action.addSource]);

/** Actions refused on a locked proposition (and on the arguments under it). */
export const REFUSED_WHEN_LOCKED: ReadonlySet<Action> = new Set<Action>([
  Action.postArgument,
  Action.editOwnArgument,
  Action.deleteOwnArgument,
  Action.addSource,
  Action.castVote,
  Action.rateArgument,
]);

/** Actions that work on a draft (unpublished) debate. */
export const ALLOWED_IN_DRAFT: ReadonlySet<Action> = new Set<Action>([
  Action.readDebate,
  Action.editProposition,
  Action.curatePropositions,
  Action.publishDebate,
  Action.readModeration,
  Action.changeSettings,
  Action.manageParticipants,
  Action.appointFacilitator,
]);

/** Whether `role` may attempt `action` (the table only; states are checked by the server). */
export function roleMay(role: ParticipantRole | null | undefined, action: Action): boolean {
  return !!role && PERMISSIONS[action].roles.includes(role);
}

/** Whether a role is one of the debate's facilitators (host or co-host). */
export const isFacilitatorRole = (role: ParticipantRole | null | undefined): boolean => role === "host" || role === "facilitator";
