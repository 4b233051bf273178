/**
 * Who may do what in a debate: the one role × action table (mirrored in
 * docs/roles.md; tests/unit/permissions.test.ts checks the two agree and
 * tests/integration/roles.test.ts tries every cell against the server).
 *
 * `decide` below is the one decision, used by both sides: the server enforces it
 * (server/services/access.ts) on every HTTP route and socket event, and the pages
 * show exactly the controls it allows (tests/unit/debate-controls.test.tsx).
 *
 * On top of the table, four states refuse writes whatever the role:
 * - a closed debate is read-only for everyone (only `reopenDebate` and the read actions work);
 * - a draft debate accepts only facilitator actions (curation, publishing, settings);
 * - a locked proposition takes no new arguments, edits, sources, votes or ratings;
 * - a muted participant may read, vote, rate and report, but not post, edit, delete or add sources;
 * - the current phase of a classroom or Oxford debate (app/shared/phases.ts): no new top-level
 *   arguments while rebutting, no arguments in vote phases and results, motion polls only in their
 *   phases, results hidden from all but facilitators until the results phase (or until a facilitator shows them).
 * Removed participants are not participants any more: their token stops working.
 */
import type { CurrentParticipant, DebateStatus, ParticipantRole } from "./contract";
import { argumentRefusal, motionVoteRefusal, resultsRefusal, voteRefusal, type MotionStage, type PhaseFacts, type Refusal } from "./phases";

export type { Refusal };

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
  runPhases: "runPhases",
  castMotionVote: "castMotionVote",
  readResults: "readResults",
  runDecisions: "runDecisions",
  respondToDecision: "respondToDecision",
  manageTeams: "manageTeams",
  draftInTeam: "draftInTeam",
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
  runPhases: { roles: facilitators, what: "Run the phases of a classroom or Oxford debate: start, pause, resume, extend, next, previous; show the results before the results phase" },
  castMotionVote: { roles: writers, what: "Vote on an Oxford-style motion (for, against, undecided) in the before and after polls" },
  readResults: { roles: everyone, what: "See vote tallies and the results page (in a classroom or Oxford debate: from the results phase on, unless a facilitator shows them earlier)" },
  runDecisions: { roles: facilitators, what: "Propose a decision on one or more propositions, and close it with its outcome (workshop decision step)" },
  respondToDecision: { roles: writers, what: "Answer an open decision: agree, abstain, disagree or block, with a reason that may cite arguments" },
  manageTeams: { roles: facilitators, what: "Split participants into teams (by hand or at random), rename and delete teams, give a team a side or propositions, move members" },
  draftInTeam: { roles: writers, what: "Draft an argument in a team's space and publish a draft to the debate (debaters: in their own team only; facilitators: in any team)" },
};

/** Actions that still work in a closed debate. */
export const ALLOWED_WHEN_CLOSED: ReadonlySet<Action> = new Set<Action>([Action.readDebate, Action.readModeration, Action.reopenDebate, Action.readResults]);

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
  Action.readResults,
]);

/** Actions the phase of a classroom or Oxford debate may refuse (app/shared/phases.ts phaseRules). */
export const REFUSED_BY_PHASE: ReadonlySet<Action> = new Set<Action>([
  Action.postArgument,
  Action.editOwnArgument,
  Action.addSource,
  Action.castVote,
  Action.rateArgument,
  Action.castMotionVote,
  Action.readResults,
  Action.runPhases,
]);

/** Whether `role` may attempt `action` (the table only; states are checked by the server). */
export function roleMay(role: ParticipantRole | null | undefined, action: Action): boolean {
  return !!role && PERMISSIONS[action].roles.includes(role);
}

/** Whether a role is one of the debate's facilitators (host or co-host). */
export const isFacilitatorRole = (role: ParticipantRole | null | undefined): boolean => role === "host" || role === "facilitator";

/** What the rules read of the current participant (null: nobody has joined, or they were removed). */
export type Decider = Pick<CurrentParticipant, "id" | "role" | "muted"> | null;

/** What the rules need to know about the debate and the item acted on. */
export interface DebateState {
  status: DebateStatus;
  /** True when the proposition acted on (or the one the argument belongs to) is locked. */
  propositionLocked?: boolean;
  /** The debate's format and current phase (absent: not checked; the services always give it, see server/services/access.ts). */
  phase?: PhaseFacts;
  /** Posting: true for a new argument on a proposition, false for a rebuttal (absent: not known, as when a page decides what to offer). */
  topLevel?: boolean;
  /** Motion vote: the poll voted in (absent: whether any poll is open). */
  motionStage?: MotionStage;
}

const ROLE_NAMES: Record<ParticipantRole, string> = { host: "the host", facilitator: "facilitators", debater: "debaters", observer: "observers" };

/**
 * The decision, without I/O: null when `me` may take `action` in `state`, otherwise
 * the reason a person can read (in English; `decideRefusal` gives it as a catalogue message).
 * Order: role table, then closed debate, then draft, then mute, then lock. Item rules that are
 * not states (one's own argument, a deleted one, a hidden thread) are checked by the service concerned.
 */
export function decide(me: Decider, action: Action, state: DebateState): string | null {
  return decideRefusal(me, action, state)?.text ?? null;
}

/** Which roles' names a refusal lists ("Only the host and facilitators can do this."). */
function whoMay(roles: readonly ParticipantRole[]): "host" | "facilitators" | "writers" {
  return roles.includes("debater") ? "writers" : roles.includes("facilitator") ? "facilitators" : "host";
}

/** `decide` with the reason as a catalogue message and its values, for the pages (docs/i18n.md); `text` is the English. */
export function decideRefusal(me: Decider, action: Action, state: DebateState): Refusal | null {
  if (!me) return { key: "errors.joinFirst", text: "Join the debate with a display name first." };
  if (!roleMay(me.role, action)) {
    const allowed = PERMISSIONS[action].roles.map((r) => ROLE_NAMES[r]).join(" and ");
    const what = PERMISSIONS[action].what;
    return me.role === "observer"
      ? { key: "refusal.observer", values: { action }, text: `Observers can read the debate but not take part in it. (${what}.)` }
      : { key: "refusal.role", values: { action, who: whoMay(PERMISSIONS[action].roles) }, text: `Only ${allowed} can do this. (${what}.)` };
  }
  if (state.status === "closed" && !ALLOWED_WHEN_CLOSED.has(action)) return { key: "refusal.closed", text: "This debate is closed: it can be read but not changed. A facilitator can reopen it." };
  if (state.status === "draft" && !ALLOWED_IN_DRAFT.has(action)) return { key: "errors.join.draft", text: "This debate is not open yet: the facilitator has not published it." };
  if (me.muted && REFUSED_WHEN_MUTED.has(action)) return { key: "refusal.muted", text: "A facilitator has muted you in this debate: you can still read and vote, but not post or edit." };
  if (state.propositionLocked && REFUSED_WHEN_LOCKED.has(action)) return { key: "refusal.locked", text: "A facilitator has locked this proposition: no more arguments or votes on it for now." };
  if (state.phase && REFUSED_BY_PHASE.has(action)) return phaseRefusal(me, action, state.phase, state);
  return null;
}

/** The phase's part of `decide` (app/shared/phases.ts): null when the phase allows `action`. */
function phaseRefusal(me: NonNullable<Decider>, action: Action, phase: PhaseFacts, state: DebateState): Refusal | null {
  switch (action) {
    case Action.runPhases:
      return phase.format === "classroom" || phase.format === "oxford" ? null : { key: "refusal.noPhases", text: "This debate is run as an open board: it has no phases (choose a format before publishing)." };
    case Action.castMotionVote:
      return motionVoteRefusal(phase, state.motionStage);
    case Action.readResults:
      return isFacilitatorRole(me.role) ? null : resultsRefusal(phase);
    case Action.castVote:
    case Action.rateArgument:
      return voteRefusal(phase);
    case Action.postArgument:
      return argumentRefusal(phase, state.topLevel);
    default:
      // Editing or adding a source: only where arguments may be posted at all.
      return argumentRefusal(phase, false);
  }
}

/** Every action `decide` allows `me` in `state` (what a page may offer). */
export function allowedActions(me: Decider, state: DebateState): ReadonlySet<Action> {
  return new Set((Object.values(Action) as Action[]).filter((action) => decide(me, action, state) === null));
}

/** A change a facilitator makes to a participant (settings page; PATCH and DELETE /api/debates/:id/participants/:participantId). */
export interface ParticipantChange {
  rename?: boolean;
  muted?: boolean;
  role?: ParticipantRole;
  remove?: boolean;
}

/**
 * Which action of the table a change to `target` needs, or why nobody may make it:
 * the host is managed by nobody (they may rename themselves); facilitators only by the
 * host (Action.appointFacilitator, also for making someone a facilitator); nobody
 * mutes, removes or re-roles themselves; anyone else needs Action.manageParticipants.
 */
export function managementAction(me: Pick<CurrentParticipant, "id">, target: { id: string; role: ParticipantRole }, change: ParticipantChange): Action | { refused: string } {
  const self = me.id === target.id;
  if (self && (change.muted !== undefined || change.role !== undefined || change.remove)) return { refused: "You cannot mute, remove or change the role of yourself." };
  if (self) return Action.manageParticipants;
  if (target.role === "host") return { refused: "Nobody can rename, mute, remove or change the role of the debate's host." };
  if (target.role === "facilitator" || change.role === "facilitator") return Action.appointFacilitator;
  return Action.manageParticipants;
}

/** `decide` for a change to a participant: null when allowed, otherwise the reason. */
export function decideParticipantChange(me: Decider, target: { id: string; role: ParticipantRole }, change: ParticipantChange, state: DebateState): string | null {
  if (!me) return decide(me, Action.manageParticipants, state);
  const needed = managementAction(me, target, change);
  return typeof needed === "string" ? decide(me, needed, state) : needed.refused;
}
